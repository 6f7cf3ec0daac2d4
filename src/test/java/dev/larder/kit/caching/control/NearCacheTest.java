package dev.larder.kit.caching.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testing.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Near caches on two simulated instances, kept coherent through one real redis-server. */
class NearCacheTest {

    /** The documented bound for a write to reach every instance's near cache (loopback, healthy Redis). */
    static final Duration PROPAGATION = Duration.ofMillis(100);

    static RedisServer redis;
    Node a;
    Node b;
    NamedCache onA;
    NamedCache onB;
    final AtomicInteger loads = new AtomicInteger();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @BeforeEach
    void nodes() {
        a = new Node(redis.address());
        b = new Node(redis.address());
        String name = "near-" + UUID.randomUUID();
        CacheSettings settings = Node.settings(Duration.ofMinutes(5), 0, Duration.ofSeconds(5), Duration.ofSeconds(2), true);
        onA = a.cache(name, settings);
        onB = b.cache(name, settings);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void servesRepeatedReadsFromTheNearCache() throws Exception {
        b.get(onB, "k", this::load);
        b.get(onB, "k", this::load);
        b.get(onB, "k", this::load);

        assertThat(onB.stats().nearHits()).isEqualTo(2);
        assertThat(loads).hasValue(1);
    }

    @Test
    void aWriteOnOneInstanceReachesTheOthersNearCacheWithinTheBound() throws Exception {
        for (int round = 0; round < 20; round++) {
            b.get(onB, "k", this::load);
            b.get(onB, "k", this::load);
            String written = "written-" + round;

            onA.write("k", onA.stamp(written, 0));
            Thread.sleep(PROPAGATION.toMillis());

            assertThat(b.get(onB, "k", this::load)).isEqualTo(written);
        }
        assertThat(onB.stats().nearHits()).as("the near cache was really in use").isGreaterThanOrEqualTo(20);
        assertThat(onB.stats().invalidationsReceived()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void aRemoveOnOneInstanceReachesTheOthersNearCache() throws Exception {
        b.get(onB, "k", this::load);
        onA.remove("k");
        Thread.sleep(PROPAGATION.toMillis());

        assertThat(b.get(onB, "k", this::load)).isEqualTo("loaded-2");
    }

    @Test
    void aMessageThatNeverArrivesClearsTheNearCacheOnceItIsOverdue() throws Exception {
        b.get(onB, "k", this::load);
        b.bus.receive(0, "{\"sender\":\"elsewhere\",\"seq\":1,\"cache\":\"other\",\"field\":\"x\"}");
        assertThat(b.get(onB, "k", this::load)).isEqualTo("loaded-1");

        b.bus.receive(0, "{\"sender\":\"elsewhere\",\"seq\":3,\"cache\":\"other\",\"field\":\"x\"}");
        Thread.sleep(InvalidationBus.GAP_MILLIS + 3 * InvalidationBus.PROBE_MILLIS);
        long nearHits = onB.stats().nearHits();
        b.get(onB, "k", this::load);

        assertThat(onB.stats().nearHits()).as("message 2 was lost: nothing near is trusted").isEqualTo(nearHits);
        assertThat(onB.stats().remoteHits()).isEqualTo(1);
    }

    @Test
    void messagesThatOvertakeEachOtherAreNotAGap() throws Exception {
        b.get(onB, "k", this::load);
        b.bus.receive(0, "{\"sender\":\"elsewhere\",\"seq\":1,\"cache\":\"other\",\"field\":\"x\"}");
        b.bus.receive(0, "{\"sender\":\"elsewhere\",\"seq\":3,\"cache\":\"other\",\"field\":\"x\"}");
        b.bus.receive(0, "{\"sender\":\"elsewhere\",\"seq\":2,\"cache\":\"other\",\"field\":\"x\"}");
        Thread.sleep(InvalidationBus.GAP_MILLIS + 3 * InvalidationBus.PROBE_MILLIS);
        long nearHits = onB.stats().nearHits();

        assertThat(b.get(onB, "k", this::load)).isEqualTo("loaded-1");

        assertThat(onB.stats().nearHits()).as("still served near: nothing was lost").isEqualTo(nearHits + 1);
    }

    @Test
    void aStalledRedisStopsTheNearCacheWithinASecond() throws Exception {
        b.get(onB, "k", this::load);
        assertThat(b.get(onB, "k", this::load)).isEqualTo("loaded-1");
        assertThat(onB.stats().nearHits()).isEqualTo(1);
        redis.pause();
        try {
            Thread.sleep(1_000);
            assertThat(b.bus.live()).as("deaf after a second of silence").isFalse();
            long nearHits = onB.stats().nearHits();
            b.get(onB, "k", this::load);
            assertThat(onB.stats().nearHits()).as("not served near during the stall").isEqualTo(nearHits);
        } finally {
            redis.resume();
        }
        b.awaitLive();
    }

    @Test
    void aRedisRestartClearsNearCachesAndNothingStaleIsServed() throws Exception {
        b.get(onB, "k", this::load);
        b.get(onB, "k", this::load);
        assertThat(onB.stats().nearHits()).isEqualTo(1);

        redis.restart(); // empty again; what B holds near was never invalidated by anyone
        long nearHitsBefore = onB.stats().nearHits();
        Instant deadline = Instant.now().plusSeconds(15);
        Object value = b.get(onB, "k", this::load);
        while (!"loaded-2".equals(value) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            value = b.get(onB, "k", this::load);
        }

        assertThat(value).as("reloaded after the reconnect cleared the near cache").isEqualTo("loaded-2");
        assertThat(onB.stats().nearHits() - nearHitsBefore).as("near hits while Redis came back").isLessThanOrEqualTo(50);
    }

    @Test
    void aLostSubscriptionStopsTheNearCacheUntilTheInstanceHearsItselfAgain() throws Exception {
        b.get(onB, "k", this::load);
        b.bus.connectionLost();

        assertThat(b.bus.live()).isFalse();
        b.get(onB, "k", this::load);
        assertThat(onB.stats().nearHits()).as("bypassed while not live").isZero();

        b.awaitLive();
        b.get(onB, "k", this::load);
        b.get(onB, "k", this::load);
        assertThat(onB.stats().nearHits()).isEqualTo(1);
    }

    private Object load() {
        return "loaded-" + loads.incrementAndGet();
    }
}
