package dev.larder.shop.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.larder.testing.Api;
import dev.larder.testing.TwoInstances;
import dev.larder.testing.Concurrently;
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
            b.getJson("/api/products/" + id); // now in B's near cache
            String name = "Round " + round;

            HttpResponse<String> put = a.json("PUT", "/api/products/" + id, Fixtures.draft(Fixtures.sku(id), name, 100 + round, "dairy"));
            assertThat(put.statusCode()).isEqualTo(200);
            Thread.sleep(PROPAGATION.toMillis());

            assertThat(b.getJson("/api/products/" + id).path("name").asText()).isEqualTo(name);
        }
        assertThat(b.cacheStat("products", "nearHits")).isPositive();
        assertThat(b.cacheStat("products", "invalidationsReceived")).isPositive();
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

    @Test
    void aHotKeyIsRefreshedBeforeItExpiresUnderSteadyLoad() throws Exception {
        String category = "hot-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Fixtures.create(a, category);
        Fixtures.Database.awaitOutboxEmpty(); // a page invalidation left by an earlier test would be a second miss
        String page = "/api/products?category=" + category;
        long missesBefore = b.cacheStat("product-pages", "misses");
        long refreshesBefore = b.cacheStat("product-pages", "earlyRefreshes");

        Instant end = Instant.now().plusSeconds(8); // four TTLs of B's product-pages cache
        while (Instant.now().isBefore(end)) {
            assertThat(b.get(page).statusCode()).isEqualTo(200);
            Thread.sleep(10);
        }

        assertThat(b.cacheStat("product-pages", "misses") - missesBefore).as("only the first read missed").isEqualTo(1);
        assertThat(b.cacheStat("product-pages", "earlyRefreshes") - refreshesBefore).isGreaterThanOrEqualTo(3);
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
}
