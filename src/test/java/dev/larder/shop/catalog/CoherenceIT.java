package dev.larder.shop.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.larder.testing.Api;
import dev.larder.testing.Redis;
import dev.larder.testing.TwoInstances;
import dev.larder.testing.Concurrently;
import dev.larder.testing.Eventually;
import dev.larder.testing.SseClient;
import dev.larder.testing.PayaraInstance;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

/**
 * Stampede protection, early refresh and near-cache coherence across two instances (A managed by
 * Arquillian, B the shared second instance, whose {@code product-pages} live 2 s) on one Redis and
 * one database.
 */
class CoherenceIT extends TwoInstances {

    /** The documented bound for a write to be visible through every instance (loopback, healthy Redis). */
    static final Duration PROPAGATION = Duration.ofMillis(100);
    static final String READS = "larder_catalog_product_reads_total";

    @Test
    void twoHundredConcurrentMissesAcrossBothInstancesReadTheDatabaseOnce() throws Exception {
        long id = Fixtures.create(a, "pantry");
        double readsBefore = a.metric(READS) + b.metric(READS);

        List<HttpResponse<String>> answers = Concurrently.run(200, i -> (i % 2 == 0 ? a : b).get("/api/products/" + id));

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(Api.parse(answer.body()).path("id").asLong()).isEqualTo(id);
        });
        assertThat(a.metric(READS) + b.metric(READS) - readsBefore).isEqualTo(1);
    }

    @Test
    void onceAWriteThroughAHasReturnedBNeverShowsTheOldValue() throws Exception {
        long id = Fixtures.create(a, "dairy");
        for (int round = 0; round < 10; round++) {
            b.getJson("/api/products/" + id);
            b.getJson("/api/products/" + id); // now in B's near cache, and its answer kept
            b.getJson("/api/products/" + id); // answered by B's response tier
            String name = "Round " + round;

            HttpResponse<String> put = a.json("PUT", "/api/products/" + id, Fixtures.draft(Fixtures.sku(id), name, 100 + round, "dairy"));
            assertThat(put.statusCode()).isEqualTo(200);
            Thread.sleep(PROPAGATION.toMillis());

            assertThat(b.getJson("/api/products/" + id).path("name").asText()).isEqualTo(name);
        }
        assertThat(b.cacheStat("products", "nearHits")).isPositive();
        assertThat(b.cacheStat("products", "responseHits")).as("B answered from its response tier").isPositive();
        assertThat(b.cacheStat("products", "invalidationsReceived")).isPositive();
    }

    /**
     * Issue 10: a hot GET is answered from the response tier before JAX-RS, byte for byte what JAX-RS
     * answered, with its ETag and a 304 for it; a request that does not accept JSON still gets
     * JAX-RS's 406; a view counted through A ends B's kept answer (it shows the pending views).
     */
    @Test
    void theResponseTierAnswersHotReadsExactlyAndNeverOutlivesWhatTheyShow() throws Exception {
        long id = Fixtures.create(a, "tier");
        String path = "/api/products/" + id;
        HttpResponse<String> fromJaxRs = b.get(path); // a miss
        b.get(path); // a near hit: the answer is kept
        long responseHits = b.cacheStat("products", "responseHits");

        HttpResponse<String> kept = b.get(path);
        assertThat(b.cacheStat("products", "responseHits")).as("answered by the tier").isEqualTo(responseHits + 1);
        assertThat(kept.statusCode()).isEqualTo(200);
        assertThat(kept.body()).isEqualTo(fromJaxRs.body());
        assertThat(kept.headers().firstValue("Content-Type")).isEqualTo(fromJaxRs.headers().firstValue("Content-Type"));
        String etag = kept.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).isEqualTo(fromJaxRs.headers().firstValue("ETag").orElseThrow());

        HttpResponse<String> notModified = b.request("GET", path, Map.of("If-None-Match", "\"other\", " + etag));
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.headers().firstValue("ETag")).contains(etag);
        assertThat(b.cacheStat("products", "responseHits")).isEqualTo(responseHits + 2);

        HttpResponse<String> html = b.request("GET", path, Map.of("Accept", "text/html"));
        assertThat(html.statusCode()).as("JAX-RS weighs Accept, not the tier").isEqualTo(406);
        assertThat(html.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(b.cacheStat("products", "responseHits")).isEqualTo(responseHits + 2);

        assertThat(a.request("POST", path + "/views", Map.of()).statusCode()).isEqualTo(202);
        Thread.sleep(PROPAGATION.toMillis());
        assertThat(b.getJson(path).path("viewCount").asLong()).as("B's kept answer ended with the view").isEqualTo(1);
    }

    @Test
    void aRedisRestartClearsNearCachesSoNothingStaleIsServed() throws Exception {
        long id = Fixtures.create(a, "bakery");
        b.getJson("/api/products/" + id);
        b.getJson("/api/products/" + id); // in B's near cache
        try {
            Redis.stop();
            HttpResponse<String> put = a.json("PUT", "/api/products/" + id, Fixtures.draft(Fixtures.sku(id), "Changed while Redis was down", 700, "bakery"));
            assertThat(put.statusCode()).as("writes still reach the database").isEqualTo(200);
        } finally {
            Redis.start();
        }
        a.awaitReady(Duration.ofSeconds(10));

        Instant deadline = Instant.now().plusSeconds(20);
        String name = b.getJson("/api/products/" + id).path("name").asText();
        while (!name.equals("Changed while Redis was down") && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            name = b.getJson("/api/products/" + id).path("name").asText();
        }
        assertThat(name).as("B dropped its near copy after the reconnect").isEqualTo("Changed while Redis was down");
        for (int i = 0; i < 20; i++) {
            assertThat(b.getJson("/api/products/" + id).path("name").asText()).isEqualTo("Changed while Redis was down");
        }
    }

    /**
     * XFetch keeps a hot page from ever expiring: over four TTLs of steady reads only the first read
     * misses. A read made while B's breaker is open bypasses the cache and counts as a miss too, so
     * the window is measured only once B has had Redis for a while (an earlier test restarts Redis,
     * and Redisson reconnects its pooled connections one by one); a window in which B's breaker
     * opened says nothing of XFetch and is measured again, at most three times.
     */
    @Test
    void aHotKeyIsRefreshedBeforeItExpiresUnderSteadyLoad() throws Exception {
        long misses = -1;
        long refreshes = -1;
        for (int attempt = 0; attempt < 3; attempt++) {
            b.awaitRedisSteady(Duration.ofSeconds(2), Duration.ofSeconds(30));
            String category = "hot-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            Fixtures.create(a, category);
            Fixtures.Database.awaitOutboxEmpty(); // a page invalidation left by an earlier test would be a second miss
            String page = "/api/products?category=" + category;
            double outagesBefore = b.requiredMetric(Api.OUTAGES);
            long missesBefore = b.cacheStat("product-pages", "misses");
            long refreshesBefore = b.cacheStat("product-pages", "earlyRefreshes");

            Instant end = Instant.now().plusSeconds(8); // four TTLs of B's product-pages cache
            while (Instant.now().isBefore(end)) {
                assertThat(b.get(page).statusCode()).isEqualTo(200);
                Thread.sleep(10);
            }

            misses = b.cacheStat("product-pages", "misses") - missesBefore;
            refreshes = b.cacheStat("product-pages", "earlyRefreshes") - refreshesBefore;
            if (b.requiredMetric(Api.OUTAGES) == outagesBefore) {
                break;
            }
        }
        assertThat(misses).as("only the first read missed").isEqualTo(1);
        assertThat(refreshes).isGreaterThanOrEqualTo(3);
    }

    @Test
    void productChangesAreCountedAsInvalidationsOnTheOtherInstance() throws Exception {
        long id = Fixtures.create(a, "produce");
        b.getJson("/api/products/" + id);
        long received = b.cacheStat("products", "invalidationsReceived");

        a.json("POST", "/api/products/" + id + "/stock", "{\"delta\":1}");
        Thread.sleep(PROPAGATION.toMillis());

        assertThat(b.cacheStat("products", "invalidationsReceived")).isGreaterThan(received);
        assertThat(b.getJson("/api/products/" + id).path("stock").asInt()).isEqualTo(11);
        JsonNode caches = a.getJson("/api/caches");
        assertThat(caches.findValuesAsText("name")).contains("products");
    }

    /** The counters every {@code /api/caches} entry and its {@code cluster} carry (the dashboard reads these names). */
    static final List<String> COUNTERS = List.of("hits", "misses", "loads", "loadFailures", "puts", "removals", "evictions",
            "nearHits", "remoteHits", "leaseWaits", "earlyRefreshes", "invalidationsReceived");

    @Test
    void eachInstancesClusterStatisticsSumItsOwnAndTheOtherInstancesCounters() throws Exception {
        long id = Fixtures.create(a, "cluster");
        for (int i = 0; i < 5; i++) {
            a.getJson("/api/products/" + id);
            b.getJson("/api/products/" + id);
        }
        JsonNode ownA = a.cacheEntry("products");
        JsonNode ownB = b.cacheEntry("products");
        assertThat(ownB.path("hits").asLong()).as("B served reads of its own").isGreaterThanOrEqualTo(4);

        JsonNode cluster = Eventually.within(Duration.ofSeconds(5), Duration.ofMillis(100), () -> a.cacheEntry("products").path("cluster"),
                sums -> COUNTERS.stream().allMatch(f -> sums.path(f).asLong() >= ownA.path(f).asLong() + ownB.path(f).asLong()));

        assertThat(cluster.isObject()).as("A's entry carries cluster: " + a.cacheEntry("products")).isTrue();
        for (String field : COUNTERS) {
            assertThat(cluster.has(field)).as("cluster." + field).isTrue();
            assertThat(cluster.path(field).asLong()).as("cluster." + field + " >= A's own + B's own")
                    .isGreaterThanOrEqualTo(ownA.path(field).asLong() + ownB.path(field).asLong());
        }
        assertThat(cluster.has("averageLoadMillis")).isTrue();
        assertThat(cluster.path("instances").asInt()).isGreaterThanOrEqualTo(2);
    }

    /** Issue 9: an event caused by a write through any instance reaches every instance's clients within 200 ms. */
    static final Duration EVENT_DELIVERY = Duration.ofMillis(200);

    @Test
    void aStockChangeThroughAReachesAnEventClientOnBWithin200Ms() throws Exception {
        long id = Fixtures.create(a, "events");
        try (SseClient client = SseClient.connect(b.url("/api/events?productId=" + id), Map.of())) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.next(Duration.ofSeconds(10))).as("the stream opened").isNotNull();

            HttpResponse<String> change = a.json("POST", "/api/products/" + id + "/stock", "{\"delta\":-3}");
            long answeredAt = System.nanoTime();
            assertThat(change.statusCode()).isEqualTo(200);

            List<SseClient.Event> events = List.of(client.nextEvent(Duration.ofSeconds(5)), client.nextEvent(Duration.ofSeconds(5)));
            assertThat(events).extracting(SseClient.Event::name).containsExactly("product", "inventory");
            assertThat(Api.parse(events.get(1).data()).path("stock").asInt()).isEqualTo(7);
            assertThat(Api.parse(events.get(1).data()).path("productId").asLong()).isEqualTo(id);
            assertThat(Duration.ofNanos(events.get(1).receivedNanos() - answeredAt)).isLessThanOrEqualTo(EVENT_DELIVERY);
        }
    }

    @Test
    void aClientThatReconnectsToTheOtherInstanceGetsWhatItMissedThenLiveEvents() throws Exception {
        long id = Fixtures.create(a, "events");
        String lastSeen;
        try (SseClient first = SseClient.connect(a.url("/api/events?productId=" + id), Map.of())) {
            first.next(Duration.ofSeconds(10));
            a.json("POST", "/api/products/" + id + "/stock", "{\"delta\":1}");
            lastSeen = first.nextEvent(Duration.ofSeconds(5)).id();
            assertThat(first.nextEvent(Duration.ofSeconds(5)).name()).isEqualTo("inventory");
        }
        for (int delta = 2; delta <= 4; delta++) { // 11 -> 13 -> 16 -> 20, while nobody listens
            assertThat(a.json("POST", "/api/products/" + id + "/stock", "{\"delta\":" + delta + "}").statusCode()).isEqualTo(200);
        }

        try (SseClient again = SseClient.connect(b.url("/api/events?productId=" + id), Map.of("Last-Event-ID", lastSeen))) {
            List<Integer> stock = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) { // the inventory event after lastSeen, then three changes' worth
                SseClient.Event event = again.nextEvent(Duration.ofSeconds(5));
                assertThat(event).as("missed event %d", i).isNotNull();
                if (event.name().equals("inventory")) {
                    stock.add(Api.parse(event.data()).path("stock").asInt());
                }
            }
            b.json("POST", "/api/products/" + id + "/stock", "{\"delta\":5}");
            while (stock.size() < 5) {
                SseClient.Event event = again.nextEvent(Duration.ofSeconds(5));
                assertThat(event).as("events after %s", stock).isNotNull();
                if (event.name().equals("inventory")) {
                    stock.add(Api.parse(event.data()).path("stock").asInt());
                }
            }
            assertThat(stock).as("inventory after the first client's last event, without gaps or repeats, then live")
                    .containsExactly(11, 13, 16, 20, 25);
        }
    }

    @Test
    void aLastEventIdTheLogNoLongerHoldsIsToldToReloadAndJunkIsRefused() throws Exception {
        Fixtures.create(a, "events"); // the log holds at least one event
        try (SseClient old = SseClient.connect(b.url("/api/events"), Map.of("Last-Event-ID", "1-0"))) {
            SseClient.Event first = old.nextEvent(Duration.ofSeconds(5));
            assertThat(first).isNotNull();
            assertThat(first.name()).isEqualTo("reload");
            assertThat(Api.parse(first.data()).path("oldestEventId").asText()).matches("[0-9]+-[0-9]+");
            assertThat(b.metric("larder_events_clients")).as("this client is counted on B").isGreaterThanOrEqualTo(1);
        }
        HttpResponse<String> junk = b.request("GET", "/api/events", Map.of("Last-Event-ID", "../../etc", "Accept", "text/event-stream"));
        assertThat(junk.statusCode()).isEqualTo(400);
        assertThat(junk.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    static final String CLIENTS = "larder_events_clients";

    /**
     * A client that stops reading is dropped without delaying anyone: a raw connection to B with a tiny
     * receive buffer asks for events and never reads, and large events are appended to the log until
     * B has dropped it (its buffers full, its queue over the bound). Meanwhile a reading client on B
     * gets every one of them, and afterwards a change through A within 200 ms.
     */
    @Test
    void aStalledClientIsDroppedAndOthersStillGetEventsWithin200Ms() throws Exception {
        long id = Fixtures.create(a, "events");
        double before = settleEventClients(id);
        RedissonClient redis = ViewsIT.redis();
        RStream<String, String> log = redis.getStream("larder:events", StringCodec.INSTANCE);
        List<StreamMessageId> flood = new ArrayList<>();
        try (SseClient reading = SseClient.connect(b.url("/api/events"), Map.of()); Socket stalled = stalledEventClient(b)) {
            assertThat(reading.next(Duration.ofSeconds(10))).as("the reading client connected").isNotNull();
            assertThat(Eventually.within(Duration.ofSeconds(10), Duration.ofMillis(50), () -> b.metric(CLIENTS), n -> n >= before + 2))
                    .as("both clients counted").isEqualTo(before + 2);
            String pad = "x".repeat(4 * 1024);
            for (int round = 1; round <= 24 && b.metric(CLIENTS) > before + 1; round++) {
                StreamMessageId last = null;
                for (int i = 0; i < 400; i++) {
                    last = log.add(StreamAddArgs.entries(Map.of("type", "flood", "data", "{\"round\":" + round + ",\"pad\":\"" + pad + "\"}")));
                    flood.add(last);
                }
                assertThat(receivedUpTo(reading, last.toString(), Duration.ofSeconds(10)))
                        .as("round %d (400 events of 4 KB) reached the reading client: the stalled one holds nobody up", round).isTrue();
            }
            assertThat(b.metric(CLIENTS)).as("the stalled client was dropped, the reading one kept").isEqualTo(before + 1);

            HttpResponse<String> change = a.json("POST", "/api/products/" + id + "/stock", "{\"delta\":-1}");
            long answeredAt = System.nanoTime();
            assertThat(change.statusCode()).isEqualTo(200);
            SseClient.Event inventory = nextNamed(reading, "inventory", Duration.ofSeconds(5));
            assertThat(inventory).as("the change reached the reading client").isNotNull();
            assertThat(Api.parse(inventory.data()).path("productId").asLong()).isEqualTo(id);
            assertThat(Duration.ofNanos(inventory.receivedNanos() - answeredAt)).isLessThanOrEqualTo(EVENT_DELIVERY);
        } finally {
            if (!flood.isEmpty()) {
                log.remove(flood.toArray(new StreamMessageId[0])); // no later replay carries the padding
            }
            redis.shutdown();
        }
    }

    @Test
    void aProductIdFilterLeavesOutTheEventsOfOtherProducts() throws Exception {
        long wanted = Fixtures.create(a, "events");
        long other = Fixtures.create(a, "events");
        try (SseClient client = SseClient.connect(b.url("/api/events?productId=" + wanted), Map.of())) {
            assertThat(client.next(Duration.ofSeconds(10))).as("the stream opened").isNotNull();
            assertThat(a.json("POST", "/api/products/" + other + "/stock", "{\"delta\":-1}").statusCode()).isEqualTo(200);
            assertThat(a.json("POST", "/api/products/" + wanted + "/stock", "{\"delta\":-2}").statusCode()).isEqualTo(200);

            List<SseClient.Event> events = List.of(client.nextEvent(Duration.ofSeconds(5)), client.nextEvent(Duration.ofSeconds(5)));
            assertThat(events).extracting(e -> Api.parse(e.data()).path("productId").asLong()).containsOnly(wanted);
            assertThat(events).extracting(SseClient.Event::name).containsExactly("product", "inventory");
            assertThat(client.nextEvent(Duration.ofMillis(300))).as("nothing of product " + other).isNull();
        }
    }

    /** B serves at most {@value PayaraInstance#SHARED_EVENT_CLIENTS} event clients ({@code larder.events.max-clients}). */
    @Test
    void pastTheClientCapAnInstanceAnswers503ProblemAndCountsNoMore() throws Exception {
        long id = Fixtures.create(a, "events");
        settleEventClients(id);
        List<SseClient> clients = new ArrayList<>();
        try {
            SseClient refused = null;
            for (int i = 0; i <= PayaraInstance.SHARED_EVENT_CLIENTS && refused == null; i++) {
                SseClient client = SseClient.connect(b.url("/api/events"), Map.of());
                if (client.status() == 200) {
                    clients.add(client);
                } else {
                    refused = client;
                }
            }
            assertThat(refused).as("refused once %d clients are connected", PayaraInstance.SHARED_EVENT_CLIENTS).isNotNull();
            refused.close();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(b.metric(CLIENTS)).isEqualTo(PayaraInstance.SHARED_EVENT_CLIENTS);
            HttpResponse<String> again = b.request("GET", "/api/events", Map.of("Accept", "text/event-stream"));
            assertThat(again.statusCode()).isEqualTo(503);
            assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(again.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(b.metric(CLIENTS)).as("a refused client is not counted").isEqualTo(PayaraInstance.SHARED_EVENT_CLIENTS);
        } finally {
            for (SseClient client : clients) {
                client.close();
            }
        }
        settleEventClients(id);
        try (SseClient client = SseClient.connect(b.url("/api/events"), Map.of())) {
            assertThat(client.status()).as("room again once clients left").isEqualTo(200);
        }
    }

    /**
     * B notices clients that went away only when it writes to them: a few events (two stock changes)
     * let it drop those of earlier tests. The number of clients B then counts.
     */
    private double settleEventClients(long id) throws Exception {
        for (int i = 0; i < 2; i++) {
            assertThat(a.json("POST", "/api/products/" + id + "/stock", "{\"delta\":1}").statusCode()).isEqualTo(200);
            Thread.sleep(200);
        }
        Thread.sleep(300);
        return b.metric(CLIENTS);
    }

    /** A connection asking B for events that never reads a byte, with a receive buffer as small as the system allows. */
    private static Socket stalledEventClient(Api instance) throws Exception {
        URI events = URI.create(instance.url("/api/events"));
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.connect(new InetSocketAddress("127.0.0.1", events.getPort()), 5_000);
        socket.getOutputStream().write(("GET " + events.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1:" + events.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Takes events until the one with id {@code id}; false if it did not come within {@code wait}. */
    private static boolean receivedUpTo(SseClient client, String id, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            SseClient.Event event = client.nextEvent(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (event == null) {
                return false;
            }
            if (id.equals(event.id())) {
                return true;
            }
        }
    }

    private static SseClient.Event nextNamed(SseClient client, String name, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            SseClient.Event event = client.nextEvent(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (event == null || event.name().equals(name)) {
                return event;
            }
        }
    }

    /**
     * Issue 9, write-through at the JCache level: a category written through A goes through the
     * {@code categories} cache's CacheWriter to the database, and B, which had the old one in its near
     * cache, never shows it once A answered; a delete likewise.
     */
    @Test
    void aCategoryWrittenThroughTheCacheWriterOnAIsInTheDatabaseAndBNeverShowsTheOldOne() throws Exception {
        String slug = "aisle-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/categories/" + slug;
        assertThat(b.get(path).statusCode()).as("no such category yet").isEqualTo(404);

        for (int round = 0; round < 5; round++) {
            String name = "Aisle " + round;
            HttpResponse<String> put = a.json("PUT", path, "{\"name\":\"" + name + "\",\"description\":\"Round " + round + "\"}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(Api.parse(put.body()).path("name").asText()).isEqualTo(name);
            assertThat(categoryName(slug)).as("in the database when A answered").isEqualTo(name);
            Thread.sleep(PROPAGATION.toMillis());

            assertThat(b.getJson(path).path("name").asText()).isEqualTo(name);
            assertThat(b.getJson(path).path("description").asText()).isEqualTo("Round " + round); // from B's near cache
        }
        assertThat(b.cacheStat("categories", "nearHits")).as("B read them near").isPositive();

        assertThat(a.send("DELETE", path, null, null).statusCode()).isEqualTo(204);
        assertThat(categoryName(slug)).isNull();
        Thread.sleep(PROPAGATION.toMillis());
        HttpResponse<String> gone = b.get(path);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(a.send("DELETE", path, null, null).statusCode()).isEqualTo(404);
        assertThat(a.json("PUT", path, "{\"name\":\"\"}").statusCode()).as("a blank name").isEqualTo(400);
        assertThat(a.anonymous().json("PUT", path, "{\"name\":\"Anyone\"}").statusCode()).isEqualTo(401);
    }

    private static String categoryName(String slug) throws Exception {
        try (java.sql.Connection c = Fixtures.Database.connect();
             java.sql.PreparedStatement s = c.prepareStatement("select name from category where slug = ?")) {
            s.setString(1, slug);
            try (java.sql.ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }
}
