package dev.larder.kit.caching.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testing.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

class NamespaceVersionTest {

    static RedisServer redis;
    static RedissonClient client;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
        client = redis.client("dev.larder.");
    }

    @AfterAll
    static void stopRedis() throws Exception {
        client.shutdown();
        redis.close();
    }

    @Test
    void startsAtZeroAndEveryBumpGivesANewerVersion() {
        NamespaceVersion version = new NamespaceVersion(client, "bumps", Duration.ofMinutes(5));
        assertThat(version.current().toCompletableFuture().join()).isEqualTo("0");

        long first = Long.parseLong(version.bump().toCompletableFuture().join());
        long second = Long.parseLong(version.bump().toCompletableFuture().join());

        assertThat(second).isGreaterThan(first);
        assertThat(version.current().toCompletableFuture().join()).isEqualTo(String.valueOf(second));
    }

    @Test
    void theVersionKeyExpiresAndAVersionIsNeverReused() throws Exception {
        NamespaceVersion version = new NamespaceVersion(client, "expiring", Duration.ofMillis(300));
        long before = Long.parseLong(version.bump().toCompletableFuture().join());
        assertThat(client.getBucket(NamespaceVersion.PREFIX + "expiring", StringCodec.INSTANCE).remainTimeToLive())
                .isBetween(1L, 300L);

        Thread.sleep(400);
        assertThat(version.current().toCompletableFuture().join()).isEqualTo("0");

        assertThat(Long.parseLong(version.bump().toCompletableFuture().join())).isGreaterThan(before);
    }
}
