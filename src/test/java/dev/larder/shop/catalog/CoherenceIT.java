package dev.larder.shop.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.larder.testing.Api;
import dev.larder.testing.Redis;
import dev.larder.testing.TwoInstances;
import dev.larder.testing.Concurrently;
import dev.larder.testing.Eventually;
import dev.larder.testing.SseClient;
import java.util.Map;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
