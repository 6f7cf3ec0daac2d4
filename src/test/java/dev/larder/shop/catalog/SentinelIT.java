package dev.larder.shop.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testing.Api;
import dev.larder.testing.Eventually;
import dev.larder.testing.PayaraInstance;
import dev.larder.testing.PostgresDatabase;
import dev.larder.testing.RedisSentinels;
import dev.larder.testing.Resp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shop on Redis Sentinel (issue 11): a group of the test's own (one master, one replica, three
 * Sentinels: {@link RedisSentinels}) and two instances A and B started here as operators start them,
 * with a Redisson YAML file ({@code LARDER_REDIS_CONFIG}) and a PostgreSQL database of their own. Not
 * Arquillian's deployment: that one runs on the single Redis of the other integration tests. One
 * pair of instances for the whole class; each test finds master and replica as the Sentinels
 * announce them, so none depends on another's failover.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelIT {

    /** The YAML's {@code timeout}, with no retries: the longest a request waits for Redis. */
    static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);
    /**
     * The breaker's bound for one request: it pays at most one Redis timeout (the first call that
     * finds Redis gone opens the breaker for every other), then the database's time, which on this
     * busy 2-core machine (two servers, five Redis processes and the load) is allowed 1 s.
     */
    static final Duration BOUND = REDIS_TIMEOUT.plusSeconds(1);
    /** Issue 7's bound, kept for a failover: every instance serves the committed value within 5 s. */
    static final Duration CONVERGENCE = Duration.ofSeconds(5);
    static final Duration POLL = Duration.ofMillis(50);
    static final String NOTICED = "The Redis master is another server process than before";

    static RedisSentinels group;
    static PostgresDatabase database;
    static PayaraInstance first;
    static PayaraInstance second;
    static Api a;
    static Api b;

    @BeforeAll
    static void start() throws Exception {
        group = RedisSentinels.start();
        database = PostgresDatabase.create();
        Path yaml = group.writeRedissonYaml(REDIS_TIMEOUT);
        Map<String, String> env = Map.of("LARDER_REDIS_CONFIG", yaml.toString(), "LARDER_DB_URL", database.url(),
                "LARDER_DB_USER", database.user(), "LARDER_DB_PASSWORD", database.password());
        first = PayaraInstance.start(env, "--nohazelcast");
        second = PayaraInstance.start(env, "--nohazelcast");
        a = first.awaitReady(Duration.ofMinutes(3)).api();
        b = second.awaitReady(Duration.ofMinutes(3)).api();
        System.out.println("SentinelIT: A " + first.log() + ", B " + second.log() + ", Redisson configuration " + yaml);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closing : new AutoCloseable[]{
                first == null ? null : (AutoCloseable) first::close, second == null ? null : (AutoCloseable) second::close,
                group, database}) {
            if (closing != null) {
                closing.close();
            }
        }
    }

    @Test
    @Order(1)
    void onSentinelAWriteThroughAIsReadThroughBAndBothReadFromTheMastersCacheAndTheirNearCaches() throws Exception {
        assertThat(a.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(b.get("/health/ready").statusCode()).isEqualTo(200);
        long id = Fixtures.create(a, "sentinel");
        String path = "/api/products/" + id;
        assertThat(name(b, path)).isEqualTo("Product " + Fixtures.sku(id));
        assertThat(cachedOn(group.master().port(), id)).as("B's read stored it on the master").contains(Fixtures.sku(id));
        assertThat(servedFromMemory(b, path)).as("B serves it from memory once its invalidation bus hears itself").isTrue();

        assertThat(a.json("PUT", path, Fixtures.draft(Fixtures.sku(id), "Renamed through A", 300, "sentinel")).statusCode()).isEqualTo(200);

        Thread.sleep(CoherenceIT.PROPAGATION.toMillis());
        assertThat(name(b, path)).as("B within %s of A's answer", CoherenceIT.PROPAGATION).isEqualTo("Renamed through A");
        assertThat(name(a, path)).isEqualTo("Renamed through A");
    }

    /**
     * Load on both instances (readers of products and pages, writers that each own some products)
     * while {@code SENTINEL FAILOVER} runs. Writers stop a second after the Sentinels announced the new
     * master: a write made between the promotion and the moment an instance follows it lands on the
     * old master and is lost with it, invalidation and all, and no later write may hide that.
     */
    @Test
    @Order(2)
    void underLoadAFailoverAnswersEveryRequestInTimeWithoutA5xxAndTheShopEndsOnTheNewMasterWithNothingStale() throws Exception {
        String category = "load-" + UUID.randomUUID().toString().substring(0, 8);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            long id = Fixtures.create(a, category);
            ids.add(id);
            name(a, "/api/products/" + id);
            name(b, "/api/products/" + id);
        }
        for (Api api : List.of(a, b)) { // each instance's first write is slow (classes loaded, code compiled): not the failover's doing
            long id = ids.get(0);
            assertThat(api.json("PUT", "/api/products/" + id, Fixtures.draft(Fixtures.sku(id), "Warm", 500, category)).statusCode())
                    .isEqualTo(200);
        }
        long noticedBefore = noticed(first) + noticed(second);

        Load load = new Load(ids, category);
        RedisSentinels.Failover failover;
        try {
            load.start();
            Thread.sleep(2000);
            load.failoverStarts();
            failover = group.failover(() -> load.stopWritersAt(System.nanoTime() + TimeUnit.SECONDS.toNanos(1)));
            Thread.sleep(2000);
        } finally {
            load.stop();
        }
        System.out.println("SentinelIT: " + failover + "; " + load.summary());

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(load.byStatus()).as("every answer of the load, by status").allSatisfy((status, count) ->
                assertThat(status).as("%d answers", count).isBetween(200, 499));
        softly.assertThat(load.slowerThan(BOUND)).as("answers slower than %s", BOUND).isEmpty();
        softly.assertThat(load.answeredAfterTheFailover()).as("answers during and after the failover").isGreaterThan(50);
        for (Api api : List.of(a, b)) {
            softly.assertThat(Eventually.within(Duration.ofSeconds(10), POLL, () -> api.get("/health/ready").statusCode(), s -> s == 200))
                    .as("%s ready", api == a ? "A" : "B").isEqualTo(200);
        }
        softly.assertThat(noticed(first) + noticed(second) - noticedBefore).as("A and B each noticed the change of master").isEqualTo(2);
        softly.assertThat(staleOn(failover.to(), ids)).as("entries on the new master that differ from the database").isEmpty();
        softly.assertThat(stale(ids)).as("reads that differ from the database after the failover (near copies dropped)").isEmpty();

        long id = ids.get(0);
        assertThat(a.json("PUT", "/api/products/" + id, Fixtures.draft(Fixtures.sku(id), "After the failover", 400, category)).statusCode())
                .isEqualTo(200);
        name(a, "/api/products/" + id);
        softly.assertThat(cachedOn(failover.to(), id)).as("a write and a read after the failover land on the new master")
                .contains("After the failover");
        for (Api api : List.of(a, b)) {
            softly.assertThat(servedFromMemory(api, "/api/products/" + id)).as("%s's near cache serves again: its invalidation bus"
                    + " hears itself on the new master", api == a ? "A" : "B").isTrue();
        }
        softly.assertAll();
    }

    /**
     * The case asynchronous replication leaves open: A's write is committed and its invalidation
     * acknowledged by the master, which never hands it to the replica (replication held), and the
     * replica is promoted with the old value. Reads go on through A and B from the moment of the
     * {@code SENTINEL FAILOVER}; within 5 s of the Sentinels' announcement both serve the committed
     * value, and never the old one again.
     */
    @Test
    @Order(3)
    void anInvalidationTheOldMasterAcknowledgedButNeverReplicatedIsNotServedAfterTheFailover() throws Exception {
        long id = Fixtures.create(a, "lost");
        String path = "/api/products/" + id;
        assertThat(a.json("PUT", path, Fixtures.draft(Fixtures.sku(id), "Before the failover", 100, "lost")).statusCode()).isEqualTo(200);
        for (Api api : List.of(a, b, a, b)) {
            assertThat(name(api, path)).isEqualTo("Before the failover");
        }
        int oldMaster = group.master().port();
        int promoted = group.replica().port();
        Eventually.within(Duration.ofSeconds(5), POLL, () -> cachedOn(promoted, id), v -> v != null && v.contains("Before the failover"));
        assertThat(cachedOn(promoted, id)).as("the replica holds the cached value").contains("Before the failover");

        List<Seen> seen = new ArrayList<>();
        RedisSentinels.Failover failover;
        long start;
        long commandAt;
        try (RedisSentinels.Held held = group.holdReplication()) {
            assertThat(a.json("PUT", path, Fixtures.draft(Fixtures.sku(id), "Committed before the failover", 200, "lost")).statusCode())
                    .isEqualTo(200);
            assertThat(row(id)).isEqualTo("Committed before the failover");
            assertThat(cachedOn(oldMaster, id)).as("the master took the invalidation").isNull();
            assertThat(cachedOn(promoted, id)).as("the replica never got it").contains("Before the failover");

            ExecutorService readers = Executors.newFixedThreadPool(2);
            AtomicBoolean reading = new AtomicBoolean(true);
            start = System.nanoTime();
            long readersStart = start;
            List<Future<List<Seen>>> reads = new ArrayList<>();
            for (Api api : List.of(a, b)) {
                reads.add(readers.submit(() -> {
                    List<Seen> mine = new ArrayList<>();
                    while (reading.get()) {
                        mine.add(new Seen(api == a ? "A" : "B", System.nanoTime() - readersStart, name(api, path)));
                        Thread.sleep(POLL.toMillis());
                    }
                    return mine;
                }));
            }
            try {
                commandAt = System.nanoTime();
                failover = group.failover();
            } finally {
                reading.set(false);
                readers.shutdown();
            }
            for (Future<List<Seen>> read : reads) {
                seen.addAll(read.get(30, TimeUnit.SECONDS));
            }
        }
        long announcedNanos = commandAt - start + failover.accepted().plus(failover.announced()).toNanos();
        System.out.println("SentinelIT: " + failover + "; reads " + summary(seen));

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(failover.to()).isEqualTo(promoted);
        for (String via : List.of("A", "B")) {
            List<Seen> reads = seen.stream().filter(s -> s.via().equals(via)).toList();
            List<Seen> late = reads.stream().filter(s -> s.atNanos() > announcedNanos + CONVERGENCE.toNanos())
                    .filter(s -> !s.name().equals("Committed before the failover")).toList();
            softly.assertThat(late).as("%s's reads more than %s after the announcement that are not the committed value", via, CONVERGENCE)
                    .isEmpty();
            softly.assertThat(reads).as("%s read on after the announcement", via).anyMatch(s -> s.atNanos() > announcedNanos + CONVERGENCE.toNanos());
        }
        softly.assertThat(staleOn(promoted, List.of(id))).as("the entry on the new master").isEmpty();
        assertThat(a.request("POST", path + "/views", Map.of()).statusCode()).as("a view drops the near copies").isEqualTo(202);
        Thread.sleep(CoherenceIT.PROPAGATION.toMillis());
        for (Api api : List.of(a, b)) {
            List<String> after = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                after.add(name(api, path));
            }
            softly.assertThat(after).as("%s's reads after the failover", api == a ? "A" : "B").containsOnly("Committed before the failover");
        }
        softly.assertAll();
    }

    /** One read seen by the test: through which instance, when (since the readers started), which name. */
    record Seen(String via, long atNanos, String name) {
    }

    /** Per instance, the names read in order, each with the time (ms since the readers started) it was first seen. */
    private static String summary(List<Seen> seen) {
        Map<String, List<String>> changes = new LinkedHashMap<>();
        for (Seen s : seen) {
            List<String> list = changes.computeIfAbsent(s.via(), v -> new ArrayList<>());
            String last = list.isEmpty() ? null : list.get(list.size() - 1);
            if (last == null || !last.endsWith(" " + s.name())) {
                list.add(TimeUnit.NANOSECONDS.toMillis(s.atNanos()) + " ms " + s.name());
            }
        }
        return changes.toString();
    }

    /** Whether reads of {@code path} come to be answered from the instance's memory (near cache or kept answer) within 10 s. */
    private static boolean servedFromMemory(Api api, String path) throws Exception {
        long before = api.cacheStat("products", "nearHits") + api.cacheStat("products", "responseHits");
        return Eventually.within(Duration.ofSeconds(10), Duration.ofMillis(100), () -> {
            name(api, path);
            return api.cacheStat("products", "nearHits") + api.cacheStat("products", "responseHits") > before;
        }, served -> served);
    }

    /** How often an instance logged that it noticed a new master. */
    private static long noticed(PayaraInstance instance) throws Exception {
        try (var lines = Files.lines(instance.log(), java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return lines.filter(line -> line.contains(NOTICED)).count();
        }
    }

    /**
     * Products that A or B serve otherwise than the database holds them, read after a view of each
     * was counted: that drops the product's near copies on every instance and leaves Redis as it is,
     * so a stale entry in Redis cannot hide behind a fresh near copy.
     */
    private static List<String> stale(List<Long> ids) throws Exception {
        for (long id : ids) {
            assertThat(a.request("POST", "/api/products/" + id + "/views", Map.of()).statusCode()).isEqualTo(202);
        }
        Thread.sleep(CoherenceIT.PROPAGATION.toMillis());
        List<String> differ = new ArrayList<>();
        for (long id : ids) {
            String row = row(id);
            for (Api api : List.of(a, b)) {
                String served = name(api, "/api/products/" + id);
                if (!served.equals(row)) {
                    differ.add((api == a ? "A" : "B") + " serves " + id + " as '" + served + "', the database holds '" + row + "'");
                }
            }
        }
        return differ;
    }

    /** Products whose entry in Redis on {@code port} holds another name than the database. */
    private static List<String> staleOn(int port, List<Long> ids) throws Exception {
        List<String> differ = new ArrayList<>();
        for (long id : ids) {
            String cached = cachedOn(port, id);
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("\"name\":\"((?:[^\"\\\\]|\\\\.)*)\"")
                    .matcher(cached == null ? "" : cached);
            String row = row(id);
            if (cached != null && (!name.find() || !name.group(1).equals(row))) {
                differ.add(id + " is cached as " + cached + ", the database holds '" + row + "'");
            }
        }
        return differ;
    }

    /** What Redis on {@code port} holds for product {@code id} in the products cache (any hash of it), or null. */
    private static String cachedOn(int port, long id) {
        for (Object key : (List<?>) Resp.call(port, "KEYS", "larder:cache:products*")) {
            String value = Resp.string(port, "HGET", String.valueOf(key), String.valueOf(id));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String row(long id) throws Exception {
        try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement("select name from product where id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private static String name(Api api, String path) {
        HttpResponse<String> answer = api.get(path);
        return answer.statusCode() == 200 ? Api.parse(answer.body()).path("name").asText() : "status " + answer.statusCode();
    }

    /**
     * Readers on A and B (products, and a page in five), and writers that each own some products and
     * rename them in turn, recording every answer (status 0: none) with when it was sent and how long
     * it took.
     */
    static final class Load {

        record Answer(String what, long sentAtNanos, Duration took, int status) {
        }

        static final int READERS = 4;
        static final int WRITERS = 2;

        private final List<Long> ids;
        private final String category;
        private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        private final Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private volatile long writersStopAt = Long.MAX_VALUE;
        private final ExecutorService threads = Executors.newFixedThreadPool(READERS + WRITERS);
        private volatile long failoverAt = Long.MAX_VALUE;

        Load(List<Long> ids, String category) {
            this.ids = ids;
            this.category = category;
        }

        void start() {
            for (int r = 0; r < READERS; r++) {
                Api api = r % 2 == 0 ? a : b;
                String via = r % 2 == 0 ? "A" : "B";
                threads.submit(() -> {
                    for (int n = 0; running.get(); n++) {
                        String path = n % 5 == 0 ? "/api/products?category=" + category : "/api/products/" + ids.get(n % ids.size());
                        timed("GET " + (n % 5 == 0 ? "page" : "product") + " via " + via, () -> api.get(path));
                    }
                    return null;
                });
            }
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                Api api = w % 2 == 0 ? a : b;
                String via = w % 2 == 0 ? "A" : "B";
                threads.submit(() -> {
                    for (int n = 1; running.get() && System.nanoTime() < writersStopAt; n++) {
                        for (int k = writer; k < ids.size() && System.nanoTime() < writersStopAt; k += WRITERS) {
                            long id = ids.get(k);
                            String name = "Load write " + n + " via " + via;
                            String draft = Fixtures.draft(Fixtures.sku(id), name, 1000 + n, category);
                            HttpResponse<String> put = timed("PUT via " + via, () -> api.json("PUT", "/api/products/" + id, draft));
                            if (put != null && put.statusCode() == 200) {
                                acknowledged.put(id, name);
                            }
                        }
                    }
                    return null;
                });
            }
        }

        void failoverStarts() {
            failoverAt = System.nanoTime();
        }

        void stopWritersAt(long nanos) {
            writersStopAt = nanos;
        }

        void stop() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            threads.awaitTermination(60, TimeUnit.SECONDS);
        }

        private HttpResponse<String> timed(String what, java.util.concurrent.Callable<HttpResponse<String>> call) {
            long start = System.nanoTime();
            HttpResponse<String> response = null;
            int status = 0;
            try {
                response = call.call();
                status = response.statusCode();
            } catch (Exception noAnswer) {
                status = 0;
            }
            answers.add(new Answer(what, start, Duration.ofNanos(System.nanoTime() - start), status));
            return response;
        }

        Map<Integer, Long> byStatus() {
            return answers.stream().collect(Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting()));
        }

        List<String> slowerThan(Duration bound) {
            return answers.stream().filter(x -> x.took().compareTo(bound) > 0)
                    .map(x -> x.what() + ": " + x.status() + " after " + x.took().toMillis() + " ms").toList();
        }

        long answeredAfterTheFailover() {
            return answers.stream().filter(x -> x.sentAtNanos() >= failoverAt).count();
        }

        String summary() {
            String slowest = answers.stream().sorted(java.util.Comparator.comparing(Answer::took).reversed()).limit(5)
                    .map(x -> x.what() + " sent at " + TimeUnit.NANOSECONDS.toMillis(x.sentAtNanos() - failoverAt) + " ms: "
                            + x.status() + " after " + x.took().toMillis() + " ms")
                    .collect(Collectors.joining("; "));
            return answers.size() + " answers " + byStatus() + ", writes acknowledged for " + acknowledged.size()
                    + " products; slowest (sent relative to SENTINEL FAILOVER): " + slowest;
        }
    }
}
