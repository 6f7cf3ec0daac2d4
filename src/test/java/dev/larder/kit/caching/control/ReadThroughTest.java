package dev.larder.kit.caching.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testing.Concurrently;
import dev.larder.testing.RedisServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JSR-107 read-through and write-through over the same engine, two simulated instances, one real redis-server. */
class ReadThroughTest {

    RedisServer redis;
    Node a;
    Node b;
    String name;
    final Map<String, String> systemOfRecord = new ConcurrentHashMap<>();
    final AtomicInteger loads = new AtomicInteger();

    final CacheLoader<String, String> loader = new CacheLoader<>() {
        @Override
        public String load(String key) {
            loads.incrementAndGet();
            try {
                Thread.sleep(50); // slow enough for concurrent misses to meet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return systemOfRecord.get(key);
        }

        @Override
        public Map<String, String> loadAll(Iterable<? extends String> keys) {
            Map<String, String> all = new HashMap<>();
            keys.forEach(k -> all.put(k, systemOfRecord.get(k)));
            return all;
        }
    };

    final CacheWriter<String, String> writer = new CacheWriter<>() {
        @Override
        public void write(Cache.Entry<? extends String, ? extends String> entry) {
            systemOfRecord.put(entry.getKey(), entry.getValue());
        }

        @Override
        public void writeAll(java.util.Collection<Cache.Entry<? extends String, ? extends String>> entries) {
            entries.forEach(this::write);
        }

        @Override
        public void delete(Object key) {
            systemOfRecord.remove(key);
        }

        @Override
        public void deleteAll(java.util.Collection<?> keys) {
            keys.forEach(this::delete);
        }
    };

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        a = new Node(redis.address());
        b = new Node(redis.address());
        name = "rt-" + UUID.randomUUID();
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
        redis.close();
    }

    private ReadThrough<String, String> on(Node node) {
        NamedCache cache = node.cache(name, Node.settings(Duration.ofMinutes(1), 0, Duration.ofSeconds(5), Duration.ofSeconds(5), true));
        return new ReadThrough<>(cache, node.engine, loader, Optional.of(writer));
    }

    @Test
    void concurrentMissesOnTwoInstancesRunTheLoaderOnce() throws Exception {
        systemOfRecord.put("k", "v1");
        ReadThrough<String, String> onA = on(a);
        ReadThrough<String, String> onB = on(b);

        List<String> values = Concurrently.run(60, i -> (i % 2 == 0 ? onA : onB).get("k"));

        assertThat(values).containsOnly("v1");
        assertThat(loads.get()).isEqualTo(1);
    }

    @Test
    void aWriteGoesToTheSystemOfRecordAndNoInstanceServesTheOldValue() throws Exception {
        systemOfRecord.put("k", "v1");
        ReadThrough<String, String> onA = on(a);
        ReadThrough<String, String> onB = on(b);
        onB.get("k");
        onB.get("k"); // in B's near cache now

        onA.put("k", "v2");
        Thread.sleep(100); // the documented propagation bound

        assertThat(systemOfRecord).containsEntry("k", "v2");
        assertThat(onB.get("k")).isEqualTo("v2");
        onA.remove("k");
        Thread.sleep(100);
        assertThat(systemOfRecord).doesNotContainKey("k");
        assertThat(onB.get("k")).as("absent values are not cached").isNull();
    }

    /** The outage guarantee of the annotation path: Redis paused, a read costs one timeout, then the loader answers at once. */
    @Test
    void withRedisPausedReadsAreAnsweredByTheLoaderAndStoreNothing() throws Exception {
        systemOfRecord.put("k", "v1");
        ReadThrough<String, String> onA = on(a);
        redis.pause();
        try {
            long first = System.nanoTime();
            assertThat(onA.get("k")).isEqualTo("v1");
            long firstMillis = (System.nanoTime() - first) / 1_000_000;
            systemOfRecord.put("k", "v2");
            long laterMillis = 0;
            for (int i = 0; i < 20; i++) {
                long read = System.nanoTime();
                assertThat(onA.get("k")).as("straight from the loader").isEqualTo("v2");
                laterMillis = Math.max(laterMillis, (System.nanoTime() - read) / 1_000_000);
            }

            assertThat(firstMillis).as("one timeout (1 s), no retry").isLessThan(1_500);
            assertThat(laterMillis).as("each read with the breaker open: the loader's 50 ms, no wait for Redis").isLessThan(150);
            assertThat(loads.get()).isEqualTo(21);
        } finally {
            redis.resume();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!a.breaker.closed() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        systemOfRecord.put("k", "v3");
        assertThat(onA.get("k")).as("nothing was stored while Redis was away").isEqualTo("v3");
    }
}
