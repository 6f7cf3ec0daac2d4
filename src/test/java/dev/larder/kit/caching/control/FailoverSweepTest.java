package dev.larder.kit.caching.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sweep after a change of Redis master, on a real redis-server standing for the new master: it
 * holds an entry whose invalidation was lost and the lease of a loader that read the database before
 * that invalidation's write (its fence was lost too).
 */
class FailoverSweepTest {

    RedisServer redis;
    Node node;
    NamedCache plain;
    NamedCache versioned;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        node = new Node(redis.address());
        plain = node.cache("sweep-" + UUID.randomUUID(), Node.settings(Duration.ofMinutes(1), 0, Duration.ofSeconds(5),
                Duration.ofSeconds(2), true));
        versioned = node.cache("sweep-pages-" + UUID.randomUUID(), new CacheSettings(Duration.ofMinutes(1), 0, true, 0,
                Duration.ofSeconds(5), Duration.ofSeconds(2), false, 100, Duration.ofMinutes(1)));
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
        redis.close();
    }

    @Test
    void everyCacheIsInvalidatedAndALoaderWhoseLeaseSurvivedTheChangeCannotStoreItsOlderValue() throws Exception {
        assertThat(node.get(plain, "stale", () -> "before the lost write")).isEqualTo("before the lost write");
        assertThat(node.get(versioned, "page", () -> "page before")).isEqualTo("page before");
        String field = plain.field("slow");
        String token = plain.tryLease(field);
        assertThat(token).as("a loader holds the lease of another key").isNotNull().isNotEqualTo(NamedCache.NO_REDIS);

        assertThat(FailoverSweep.sweep(node.redisson, node.breaker, List.of(plain, versioned))).isTrue();

        assertThat(plain.storeLoaded(field, plain.stamp("read before the lost write", 1_000_000), token, -1))
                .as("the loader's store after the sweep").isFalse();
        assertThat(plain.readRemote(field)).isNull();
        assertThat(node.get(plain, "stale", () -> "the database now")).isEqualTo("the database now");
        assertThat(node.get(plain, "slow", () -> "the database now")).isEqualTo("the database now");
        assertThat(node.get(versioned, "page", () -> "page now")).isEqualTo("page now");
    }

    @Test
    void withRedisUnavailableTheSweepReportsItCouldNotFinish() throws Exception {
        node.breaker.failed("a test", new RuntimeException("an outage"));

        assertThat(FailoverSweep.sweep(node.redisson, node.breaker, List.of(plain, versioned))).isFalse();
    }
}
