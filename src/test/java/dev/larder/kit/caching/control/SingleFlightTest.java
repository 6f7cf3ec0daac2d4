package dev.larder.kit.caching.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

/** Stampede protection and fencing, with two simulated instances on one real redis-server. */
class SingleFlightTest {

    static RedisServer redis;
    Node a;
    Node b;
    String cacheName;
    ExecutorService pool = Executors.newFixedThreadPool(64);

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
        cacheName = "sf-" + UUID.randomUUID();
    }

    @AfterEach
    void close() throws Exception {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        a.close();
        b.close();
    }

    @Test
    void loadsAHotKeyOnceAcrossInstances() throws Exception {
        CacheSettings settings = Node.settings(Duration.ofMinutes(1), 0, Duration.ofSeconds(5), Duration.ofSeconds(5), false);
        NamedCache onA = a.cache(cacheName, settings);
        NamedCache onB = b.cache(cacheName, settings);
        AtomicInteger loads = new AtomicInteger();
        Callable<Object> loader = () -> {
            loads.incrementAndGet();
            Thread.sleep(200);
            return "value";
        };

        List<Object> results = concurrently(100, i -> i % 2 == 0 ? a.get(onA, "hot", loader) : b.get(onB, "hot", loader));

        assertThat(loads).hasValue(1);
        assertThat(results).hasSize(100).containsOnly("value");
        assertThat(onA.stats().leaseWaits()).isPositive();
        assertThat(onB.stats().leaseWaits()).isPositive();
    }

    /**
     * Issue 10: a miss is one atomic "entry or lease" and one atomic "store if leased, release";
     * a Redis hit is one round trip. Counted by Redis itself: {@code MONITOR} shows every command a
     * client sent (and, marked {@code lua}, those a script ran, which are not round trips).
     */
    @Test
    void aMissCostsTwoRoundTripsAndARedisHitOne() throws Exception {
        CacheSettings settings = Node.settings(Duration.ofMinutes(1), 0, Duration.ofSeconds(5), Duration.ofSeconds(5), false);
        NamedCache onA = a.cache(cacheName, settings);
        a.get(onA, "warm-up", () -> "value"); // loads the scripts into Redis's script cache
        a.get(onA, "warm-up", () -> "value");
        try (Monitor monitor = new Monitor(redis.port(), cacheName)) {
            assertThat(a.get(onA, "cold", () -> "loaded")).isEqualTo("loaded");
            List<String> miss = monitor.commandsSoFar();
            assertThat(a.get(onA, "cold", () -> "not again")).isEqualTo("loaded");
            List<String> both = monitor.commandsSoFar();

            assertThat(miss).as("round trips of a miss").hasSize(2);
            assertThat(both.subList(miss.size(), both.size())).as("round trips of a Redis hit").hasSize(1);
        }
    }

    /**
     * A versioned cache keeps its version in memory while the bus vouches for it, so a hit costs one
     * round trip; an invalidate-all on another instance ends the kept version as soon as the bus
     * brings it, and the old entries are never served after that.
     */
    @Test
    void aVersionedCacheHitIsOneRoundTripAndABumpElsewhereIsSeen() throws Exception {
        CacheSettings settings = new CacheSettings(Duration.ofMinutes(1), 0, true, 0, Duration.ofSeconds(5),
                Duration.ofSeconds(5), false, 100, Duration.ofMinutes(1));
        NamedCache onA = a.cache(cacheName, settings);
        NamedCache onB = b.cache(cacheName, settings);
        AtomicInteger generation = new AtomicInteger(1);
        assertThat(b.get(onB, "page", () -> "page-" + generation.get())).isEqualTo("page-1");
        assertThat(b.get(onB, "page", () -> "page-" + generation.get())).isEqualTo("page-1");
        try (Monitor monitor = new Monitor(redis.port(), cacheName)) {
            assertThat(b.get(onB, "page", () -> "page-" + generation.get())).isEqualTo("page-1");
            assertThat(monitor.commandsSoFar()).as("a hit reads the entry and not the version").hasSize(1);
        }

        generation.set(2);
        assertThat(onA.invalidateAll()).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (onB.stats().invalidationsReceived() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(onB.stats().invalidationsReceived()).as("B heard the bump").isPositive();
        assertThat(b.get(onB, "page", () -> "page-" + generation.get())).isEqualTo("page-2");
    }

    /** The commands clients send to one redis-server about one cache, as {@code MONITOR} reports them (no script internals). */
    static final class Monitor implements AutoCloseable {
        private final java.net.Socket socket;
        private final List<String> commands = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Monitor(int port, String about) throws Exception {
            socket = new java.net.Socket("127.0.0.1", port);
            socket.getOutputStream().write("MONITOR\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.ISO_8859_1));
            if (!"+OK".equals(lines.readLine())) {
                throw new IllegalStateException("MONITOR refused");
            }
            reader = new Thread(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (!line.contains(" lua]") && line.contains(about)) {
                            commands.add(line);
                        }
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** What was sent so far, after Redis had time to report it. */
        List<String> commandsSoFar() throws InterruptedException {
            Thread.sleep(200);
            synchronized (commands) {
                return List.copyOf(commands);
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void aFailingLoaderReleasesItsLeaseAndOneWaiterLoads() throws Exception {
        CacheSettings settings = Node.settings(Duration.ofMinutes(1), 0, Duration.ofSeconds(30), Duration.ofSeconds(5), false);
        NamedCache onA = a.cache(cacheName, settings);
        NamedCache onB = b.cache(cacheName, settings);
        AtomicInteger calls = new AtomicInteger();
        Callable<Object> loader = () -> {
            Thread.sleep(100);
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("database hiccup");
            }
            return "value";
        };

        long start = System.nanoTime();
        List<Object> results = concurrently(40, i -> {
            try {
                return i % 2 == 0 ? a.get(onA, "k", loader) : b.get(onB, "k", loader);
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        });

        assertThat(calls).hasValue(2);
        assertThat(results).filteredOn("database hiccup"::equals).hasSize(1);
        assertThat(results).filteredOn("value"::equals).hasSize(39);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the 30 s lease did not hold anyone up").isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aDeadLoadersLeaseLapsesAndAWaiterTakesOver() throws Exception {
        CacheSettings settings = Node.settings(Duration.ofMinutes(1), 0, Duration.ofMillis(400), Duration.ofSeconds(5), false);
        NamedCache onB = b.cache(cacheName, settings);
        a.redisson.getBucket(CacheStore.LEASE_PREFIX + "{" + a.slots.hashOf(cacheName, "k") + "}:k", StringCodec.INSTANCE)
                .set("token-of-a-dead-instance", Duration.ofMillis(400));
        AtomicInteger loads = new AtomicInteger();

        long start = System.nanoTime();
        Object value = b.get(onB, "k", () -> "loaded-" + loads.incrementAndGet());

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(value).isEqualTo("loaded-1");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(2));
        assertThat(onB.readRemote("k").value()).as("the taker stored it").isEqualTo("loaded-1");
    }

    @Test
    void nobodyWaitsPastTheBound() throws Exception {
        CacheSettings settings = Node.settings(Duration.ofMinutes(1), 0, Duration.ofSeconds(10), Duration.ofMillis(500), false);
        NamedCache onA = a.cache(cacheName, settings);
        NamedCache onB = b.cache(cacheName, settings);
        CountDownLatch slowStarted = new CountDownLatch(1);
        Future<Object> slow = pool.submit(() -> a.get(onA, "k", () -> {
            slowStarted.countDown();
            Thread.sleep(3000);
            return "slow";
        }));
        slowStarted.await();

        long start = System.nanoTime();
        Object value = b.get(onB, "k", () -> "own");

        assertThat(value).isEqualTo("own");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(450), Duration.ofMillis(1500));
        assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo("slow");
    }

    @Test
    void aSlowLoaderCannotOverwriteANewerWrite() throws Exception {
        CacheSettings settings = Node.settings(Duration.ofMinutes(1), 0, Duration.ofSeconds(10), Duration.ofSeconds(5), false);
        NamedCache onA = a.cache(cacheName, settings);
        NamedCache onB = b.cache(cacheName, settings);
        Future<Object> slow = slowLoadOnA(onA, "old");

        onB.write("k", onB.stamp("new", 0));
        slow.get(5, TimeUnit.SECONDS);

        assertThat(onA.readRemote("k").value()).isEqualTo("new");
        onB.remove("k");
        assertThat(onA.readRemote("k")).isNull();
    }

    @Test
    void aSlowLoaderCannotResurrectAnEntryRemovedWhileItLoaded() throws Exception {
        CacheSettings settings = Node.settings(Duration.ofMinutes(1), 0, Duration.ofSeconds(10), Duration.ofSeconds(5), false);
        NamedCache onA = a.cache(cacheName, settings);
        NamedCache onB = b.cache(cacheName, settings);
        Future<Object> slow = slowLoadOnA(onA, "deleted meanwhile");

        onB.remove("k"); // e.g. the product was deleted while A was reading the old row
        slow.get(5, TimeUnit.SECONDS);

        assertThat(onA.readRemote("k")).as("the loader's lease was broken, so it stored nothing").isNull();
    }

    @Test
    void aHotKeyIsRefreshedBeforeItExpires() throws Exception {
        CacheSettings settings = Node.settings(Duration.ofMillis(600), 30, Duration.ofSeconds(5), Duration.ofSeconds(5), false);
        NamedCache onA = a.cache(cacheName, settings);
        AtomicInteger version = new AtomicInteger();
        Callable<Object> loader = () -> {
            Thread.sleep(5);
            return "v" + version.incrementAndGet();
        };

        long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < end) {
            a.get(onA, "hot", loader);
            Thread.sleep(3);
        }

        assertThat(onA.stats().misses()).as("only the first read missed over ~6 expiries").isEqualTo(1);
        assertThat(onA.stats().earlyRefreshes()).isGreaterThanOrEqualTo(5);
        assertThat(version.get()).isEqualTo(1 + (int) onA.stats().earlyRefreshes());
    }

    @Test
    void withoutEarlyRefreshTheSameLoadMissesAtEveryExpiry() throws Exception {
        CacheSettings settings = Node.settings(Duration.ofMillis(600), 0, Duration.ofSeconds(5), Duration.ofSeconds(5), false);
        NamedCache onA = a.cache(cacheName, settings);

        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < end) {
            a.get(onA, "hot", () -> "v");
            Thread.sleep(3);
        }

        assertThat(onA.stats().misses()).isGreaterThanOrEqualTo(3);
        assertThat(onA.stats().earlyRefreshes()).isZero();
    }

    /** Starts a 500 ms load of key "k" on A and returns once the loader is running. */
    private Future<Object> slowLoadOnA(NamedCache onA, String value) throws InterruptedException {
        CountDownLatch loading = new CountDownLatch(1);
        Future<Object> slow = pool.submit(() -> a.get(onA, "k", () -> {
            loading.countDown();
            Thread.sleep(500);
            return value;
        }));
        loading.await();
        return slow;
    }

    private List<Object> concurrently(int callers, Call call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            int index = i;
            futures.add(pool.submit(() -> {
                start.await();
                return call.run(index);
            }));
        }
        start.countDown();
        List<Object> results = new ArrayList<>();
        for (Future<Object> f : futures) {
            results.add(f.get(20, TimeUnit.SECONDS));
        }
        return results;
    }

    interface Call {
        Object run(int index) throws Exception;
    }
}
