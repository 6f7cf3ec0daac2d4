package dev.larder.kit.caching.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testing.Concurrently;
import dev.larder.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

/**
 * A cache on a real redis-server that misbehaves: entries the codec cannot read or write (a bug, not
 * an outage), a Redis that stops or stalls (an outage, behind the breaker), and a versioned cache
 * whose version cannot be read.
 */
class CacheFaultsTest {

    RedisServer redis;
    Node node;
    String cacheName;
    final AtomicInteger loads = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        node = new Node(redis.address());
        cacheName = "faults-" + UUID.randomUUID();
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
        redis.close();
    }

    @Test
    void anEntryThatCannotBeReadIsACodecErrorReplacedByALoadNotAnOutage() throws Exception {
        NamedCache cache = node.cache(cacheName, Node.settings(Duration.ofMinutes(1), 0, Duration.ofSeconds(5), Duration.ofSeconds(2), true));
        node.get(cache, "near-one", () -> "kept near");
        node.get(cache, "near-one", () -> "kept near");
        assertThat(cache.stats().nearHits()).isEqualTo(1);
        node.redisson.getMap(node.slots.hashOf(cacheName, "k"), StringCodec.INSTANCE)
                .put("k", "{\"@type\":\"com.example.RenamedAfterADeploy\",\"value\":{}}");

        Object value = node.get(cache, "k", () -> "loaded-" + loads.incrementAndGet());

        assertThat(value).isEqualTo("loaded-1");
        assertThat(node.codecErrors.total()).isEqualTo(1);
        assertThat(node.breaker.timesOpened()).as("Redis is fine: not an outage").isZero();
        assertThat(node.bus.live()).isTrue();
        assertThat(node.get(cache, "near-one", () -> "reloaded")).as("no near cache was cleared for it").isEqualTo("kept near");
        assertThat(cache.stats().nearHits()).isEqualTo(2);
        assertThat(node.redisson.getMap(node.slots.hashOf(cacheName, "k"), StringCodec.INSTANCE).get("k").toString())
                .as("the bad entry was replaced").contains("loaded-1");
    }

    @Test
    void aValueTheCodecCannotWriteIsServedUncachedAndRedisStaysUp() throws Exception {
        NamedCache cache = node.cache(cacheName, Node.settings(Duration.ofMinutes(1), 0, Duration.ofSeconds(5), Duration.ofSeconds(2), false));

        Object first = node.get(cache, "k", () -> List.of("immutable-" + loads.incrementAndGet()));
        Object second = node.get(cache, "k", () -> List.of("immutable-" + loads.incrementAndGet()));

        assertThat(first).isEqualTo(List.of("immutable-1"));
        assertThat(second).as("nothing was stored, so it loads again").isEqualTo(List.of("immutable-2"));
        assertThat(node.codecErrors.total()).isEqualTo(2);
        assertThat(node.breaker.timesOpened()).isZero();
        assertThat(node.redisson.getMap(node.slots.hashOf(cacheName, "k"), StringCodec.INSTANCE).get("k")).isNull();
    }

    @Test
    void aVersionedCacheWhoseVersionCannotBeReadNeverAnswersOneKeyWithAnother() throws Exception {
        NamedCache cache = node.cache(cacheName, new CacheSettings(Duration.ofMinutes(1), 0, true, 0,
                Duration.ofSeconds(5), Duration.ofSeconds(2), false, 100, Duration.ofMinutes(1)));
        redis.stop();

        List<Object> answers = Concurrently.run(48, i -> node.get(cache, "category-" + (i % 8), () -> {
            Thread.sleep(50); // slow enough for the calls to overlap
            return "page of category-" + (i % 8);
        }));

        for (int i = 0; i < 48; i++) {
            assertThat(answers.get(i)).isEqualTo("page of category-" + (i % 8));
        }
    }

    @Test
    void aPausedRedisCostsOneTimeoutThenNothingUntilItAnswersAgain() throws Exception {
        NamedCache cache = node.cache(cacheName, Node.settings(Duration.ofMinutes(1), 0, Duration.ofSeconds(5), Duration.ofSeconds(2), false));
        node.get(cache, "k", () -> "before");
        redis.pause();

        long first = timed(() -> assertThat(node.get(cache, "k", () -> "from the database")).isEqualTo("from the database"));
        long later = 0;
        for (int i = 0; i < 20; i++) {
            later = Math.max(later, timed(() -> node.get(cache, "k", () -> "from the database")));
        }
        redis.resume();
        long closedAfter = System.nanoTime();
        while (!node.breaker.closed() && System.nanoTime() - closedAfter < Duration.ofSeconds(5).toNanos()) {
            Thread.sleep(10);
        }
        long recoveryMillis = (System.nanoTime() - closedAfter) / 1_000_000;

        assertThat(first).as("the first call waits for the 1 s timeout, no retry").isLessThan(1_500);
        assertThat(later).as("the open breaker answers at once").isLessThan(100);
        assertThat(node.breaker.timesOpened()).isEqualTo(1);
        assertThat(recoveryMillis).as("recovery after Redis answers").isLessThan(2_000);
        assertThat(node.get(cache, "k", () -> "reloaded")).as("Redis kept its data").isEqualTo("before");
    }

    @Test
    void callersWaitingOnAStalledRedisAreReleasedWhenTheBreakerOpens() throws Exception {
        NamedCache cache = node.cache(cacheName, Node.settings(Duration.ofMinutes(1), 0, Duration.ofSeconds(5), Duration.ofSeconds(2), false));
        node.get(cache, "warm", () -> "up");
        redis.pause();
        long pausedAt = System.nanoTime();
        try {
            List<Long> answeredAfterPause = Concurrently.run(30, i -> {
                Thread.sleep(i * 30L); // callers keep arriving during the first timeout
                node.get(cache, "k" + i, () -> "from the database");
                return (System.nanoTime() - pausedAt) / 1_000_000;
            });

            assertThat(answeredAfterPause).as("ms after the pause at which each caller was answered: the first timeout"
                    + " (1 s) releases everyone, nobody waits for a timeout of their own").allSatisfy(m -> assertThat(m).isLessThan(1_400));
        } finally {
            redis.resume();
        }
    }

    @Test
    void aCommandRedisRefusesIsABugNotAnOutage() {
        String answer = node.breaker.callAsync("run a broken script", () -> node.redisson.getScript(StringCodec.INSTANCE)
                .<String>evalAsync(org.redisson.api.RScript.Mode.READ_WRITE, "return redis.call('NO-SUCH-COMMAND')",
                        org.redisson.api.RScript.ReturnType.STRING), "fallback");

        assertThat(answer).isEqualTo("fallback");
        assertThat(node.breaker.commandErrors()).isEqualTo(1);
        assertThat(node.breaker.timesOpened()).as("the breaker stays closed for everyone else").isZero();
        assertThat(node.breaker.closed()).isTrue();
    }

    @Test
    void aValueTheCodecRefusesToWriteLeavesNoGapOnOtherInstancesAndNoOlderValueBehind() throws Exception {
        try (Node other = new Node(redis.address())) {
            CacheSettings settings = Node.settings(Duration.ofMinutes(1), 0, Duration.ofSeconds(5), Duration.ofSeconds(2), true);
            NamedCache onA = node.cache(cacheName, settings);
            NamedCache onB = other.cache(cacheName, settings);
            node.get(onA, "k", () -> "old");
            other.get(onB, "near-one", () -> "kept near");
            other.get(onB, "near-one", () -> "kept near");
            long nearHits = onB.stats().nearHits();

            assertThat(onA.write("k", onA.stamp(List.of("immutable"), 0))).as("Redis was told: the old value is gone").isTrue();
            Thread.sleep(InvalidationBus.GAP_MILLIS + 3 * InvalidationBus.PROBE_MILLIS);

            assertThat(other.get(onB, "near-one", () -> "reloaded")).isEqualTo("kept near");
            assertThat(onB.stats().nearHits()).as("no false gap cleared B's near cache").isEqualTo(nearHits + 1);
            assertThat(other.get(onB, "k", () -> "loaded again")).as("the older value did not stay").isEqualTo("loaded again");
        }
    }

    private static long timed(ThrowingRunnable call) throws Exception {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
