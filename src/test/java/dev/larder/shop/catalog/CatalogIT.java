package dev.larder.shop.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

import com.fasterxml.jackson.databind.JsonNode;
import dev.larder.testing.Api;
import dev.larder.testing.BootLog;
import dev.larder.testing.Redis;
import dev.larder.testing.Tokens;
import dev.larder.testing.TwoInstances;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The catalog through the real WAR on Payara Micro (instance A, managed by Arquillian with Hazelcast
 * running, so Payara's own JSR-107 interceptors would fire if Larder did not veto them) and a
 * second instance B started as operators start it, both on one Redis and one PostgreSQL database
 * that the build started for the tests.
 */
class CatalogIT extends TwoInstances {

    @Test
    void runsTheLoaderOnceAndKeepsTheValueInRedis() throws Exception {
        long id = Fixtures.create(a, "pantry");
        double readsBefore = a.metric("larder_catalog_product_reads_total");

        for (int i = 0; i < 5; i++) {
            assertThat(a.getJson("/api/products/" + id).path("id").asLong()).isEqualTo(id);
        }

        assertThat(a.metric("larder_catalog_product_reads_total") - readsBefore).isEqualTo(1);
        assertThat(Redis.cached("products", String.valueOf(id))).contains("\"@type\":\"dev.larder.shop.catalog.entity.Product\"");
    }

    /**
     * A miss outside a transaction reads the row with plain JDBC (ProductReads), a write answers with
     * what JPA wrote: both must show the same product, field for field, with the same ETag (the
     * timestamp read back from the column as the entity wrote it).
     */
    @Test
    void aMissReadsTheProductAsTheWriteShowedIt() throws Exception {
        long id = Fixtures.create(a, "pantry");
        HttpResponse<String> put = a.json("PUT", "/api/products/" + id, Fixtures.draft(Fixtures.sku(id), "Read back", 1234, "pantry"));
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(Redis.cached("products", String.valueOf(id))).isNull();
        double readsBefore = a.metric("larder_catalog_product_reads_total");

        HttpResponse<String> get = a.get("/api/products/" + id);

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(a.metric("larder_catalog_product_reads_total") - readsBefore).as("a miss").isEqualTo(1);
        assertThat(Api.parse(get.body())).isEqualTo(Api.parse(put.body()));
        assertThat(get.headers().firstValue("ETag")).isPresent().isEqualTo(put.headers().firstValue("ETag"));
    }

    @Test
    void noSecondCacheSitsBehindRedis() throws Exception {
        long id = Fixtures.create(a, "pantry");
        a.getJson("/api/products/" + id);
        Fixtures.Database.update("update product set name = 'Changed behind the cache' where id = ?", id);
        assertThat(a.send("DELETE", "/api/caches/products", null, null).statusCode()).isEqualTo(204);
        double readsBefore = a.metric("larder_catalog_product_reads_total");

        JsonNode product = a.getJson("/api/products/" + id);

        assertThat(product.path("name").asText()).isEqualTo("Changed behind the cache");
        assertThat(a.metric("larder_catalog_product_reads_total") - readsBefore).isEqualTo(1);
    }

    @Test
    void anUpdateInvalidatesAndTheNextReadLoadsTheCommittedRowOnce() throws Exception {
        long id = Fixtures.create(a, "dairy");
        a.getJson("/api/products/" + id);
        assertThat(Redis.cached("products", String.valueOf(id))).isNotNull();
        double readsBefore = a.metric("larder_catalog_product_reads_total");

        HttpResponse<String> put = a.json("PUT", "/api/products/" + id, Fixtures.draft(Fixtures.sku(id), "Renamed", 999, "dairy"));

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(Redis.cached("products", String.valueOf(id))).as("invalidated by the commit, not overwritten").isNull();
        long hitsBefore = a.cacheStat("products", "hits");
        for (int i = 0; i < 3; i++) {
            assertThat(a.getJson("/api/products/" + id).path("name").asText()).isEqualTo("Renamed");
        }
        assertThat(a.metric("larder_catalog_product_reads_total") - readsBefore).as("loaded once").isEqualTo(1);
        assertThat(a.cacheStat("products", "hits")).isEqualTo(hitsBefore + 2);
        assertThat(Redis.cached("products", String.valueOf(id))).contains("Renamed");
    }

    @Test
    void aDeleteRemovesTheEntry() throws Exception {
        long id = Fixtures.create(a, "bakery");
        a.getJson("/api/products/" + id);
        assertThat(Redis.cached("products", String.valueOf(id))).isNotNull();

        assertThat(a.send("DELETE", "/api/products/" + id, null, null).statusCode()).isEqualTo(204);

        assertThat(Redis.cached("products", String.valueOf(id))).isNull();
        assertThat(a.get("/api/products/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void everyProductChangeInvalidatesThePages() throws Exception {
        String category = "pages-" + UUID.randomUUID().toString().substring(0, 8);
        long first = Fixtures.create(a, category);
        String page = "/api/products?category=" + category;
        assertThat(a.getJson(page).path("total").asLong()).isEqualTo(1);
        double pageReads = a.metric("larder_catalog_page_reads_total");
        a.getJson(page);
        assertThat(a.metric("larder_catalog_page_reads_total")).as("second read is cached").isEqualTo(pageReads);
        String versionBefore = Redis.string("larder:ns:product-pages");

        long second = Fixtures.create(a, category);
        assertThat(a.getJson(page).path("items").get(0).path("id").asLong()).as("newest first after a create").isEqualTo(second);
        assertThat(Redis.string("larder:ns:product-pages")).isNotEqualTo(versionBefore);

        a.json("POST", "/api/products/" + first + "/stock", "{\"delta\":-3}");
        assertThat(stockOnPage(page, first)).as("after a stock change").isEqualTo(7);

        a.json("PUT", "/api/products/" + first, Fixtures.draft(Fixtures.sku(first), "Renamed on page", 100, category));
        assertThat(a.getJson(page).path("items").get(1).path("name").asText()).as("after a replace").isEqualTo("Renamed on page");

        a.send("DELETE", "/api/products/" + second, null, null);
        assertThat(a.getJson(page).path("total").asLong()).as("after a delete").isEqualTo(1);
    }

    @Test
    void twoInstancesShareOneCache() throws Exception {
        Api b = second.api();
        long id = Fixtures.create(a, "produce");
        a.getJson("/api/products/" + id);
        long bHitsBefore = b.cacheStat("products", "hits");
        double bReadsBefore = b.metric("larder_catalog_product_reads_total");
        double aReadsBefore = a.metric("larder_catalog_product_reads_total");

        assertThat(b.getJson("/api/products/" + id).path("id").asLong()).isEqualTo(id);
        assertThat(b.cacheStat("products", "hits")).as("B hits what A loaded").isEqualTo(bHitsBefore + 1);

        a.json("PUT", "/api/products/" + id, Fixtures.draft(Fixtures.sku(id), "Written through A", 321, "produce"));
        // relayed once after the commit; on a slow machine the sweep may relay the row a second time
        // (at least once, by design) before the first relay deleted it: the loads are counted after that
        Fixtures.Database.awaitOutboxEmpty();
        Thread.sleep(CoherenceIT.PROPAGATION.toMillis()); // B's near cache hears of the write
        assertThat(b.getJson("/api/products/" + id).path("name").asText()).isEqualTo("Written through A");
        assertThat(a.getJson("/api/products/" + id).path("name").asText()).isEqualTo("Written through A");
        assertThat(a.metric("larder_catalog_product_reads_total") + b.metric("larder_catalog_product_reads_total")
                - aReadsBefore - bReadsBefore).as("the write's invalidation costs one load across both").isEqualTo(1);

        b.json("PUT", "/api/products/" + id, Fixtures.draft(Fixtures.sku(id), "Written through B", 322, "produce"));
        Thread.sleep(CoherenceIT.PROPAGATION.toMillis());
        assertThat(a.getJson("/api/products/" + id).path("name").asText()).isEqualTo("Written through B");

        String category = "shared-" + UUID.randomUUID().toString().substring(0, 8);
        Fixtures.create(a, category);
        assertThat(b.getJson("/api/products?category=" + category).path("total").asLong()).isEqualTo(1);
        Fixtures.create(b, category);
        assertThat(a.getJson("/api/products?category=" + category).path("total").asLong())
                .as("a page cached before B's create is invalid on A").isEqualTo(2);
    }

    @Test
    void cachesCanBeListedAndInvalidatedAsAWhole() throws Exception {
        long id = Fixtures.create(a, "drinks");
        a.getJson("/api/products/" + id);
        assertThat(a.getJson("/api/caches").findValuesAsText("name")).contains("products", "product-pages");

        assertThat(a.send("DELETE", "/api/caches/products", null, null).statusCode()).isEqualTo(204);

        assertThat(Redis.cached("products", String.valueOf(id))).isNull();
        assertThat(a.send("DELETE", "/api/caches/no-such-cache", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() {
        HttpResponse<String> document = a.get("/openapi");
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).contains("/api/products/{id}", "/api/cart/items/{productId}", "/api/caches/{name}",
                "application/problem+json");
    }

    /**
     * B's boot (its log up to Payara's "ready"), on the tests' Redis and a database A already
     * migrated: no WARNING or SEVERE record and no stack trace from Larder, and no warning at all but
     * Payara's own ({@link BootLog.Entry#knownFromPayara()}, listed in the README).
     */
    @Test
    void aHealthyBootLogsNoWarningFromLarder() throws Exception {
        BootLog boot = BootLog.read(second.log());

        assertThat(boot.finished()).as("B's log holds its whole boot: " + second.log()).isTrue();
        assertThat(boot.find("Database schema at version")).as("B checked the schema at deployment").isPresent();
        assertThat(boot.problemsOf("dev.larder")).as("Larder's warnings and stack traces in " + second.log()).isEmpty();
        assertThat(boot.warnings()).filteredOn(w -> !w.knownFromPayara()).extracting(BootLog.Entry::head)
                .as("warnings not known as Payara's own in " + second.log()).isEmpty();
    }

    @Test
    void readinessFollowsRedisAndReadsFallBackToTheDatabase() throws Exception {
        long id = Fixtures.create(a, "pantry");
        try {
            Redis.stop();
            HttpResponse<String> ready = a.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"redis\"").contains("DOWN");
            assertThat(a.get("/api/products/" + id).statusCode()).as("served from the database").isEqualTo(200);
            HttpResponse<String> invalidate = a.send("DELETE", "/api/caches/products", null, null);
            assertThat(invalidate.statusCode()).as("an invalidation nobody heard is not a success").isEqualTo(503);
            assertThat(invalidate.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        } finally {
            Redis.start();
        }
        a.awaitReady(Duration.ofSeconds(30));
        b.awaitReady(Duration.ofSeconds(30));
    }

    @Test
    void everyBadInputAnswers4xxProblemJsonAndChangesNothing() throws Exception {
        long id = Fixtures.create(a, "pantry");
        long other = Fixtures.create(a, "pantry");
        String before = a.get("/api/products/" + id).body();
        long rowsBefore = Fixtures.Database.count();

        List<Executable> checks = new ArrayList<>();
        for (BadInputs.Case bad : BadInputs.cases(id, Fixtures.sku(other))) {
            checks.add(() -> {
                HttpResponse<String> answer = a.send(bad.method(), bad.path(), bad.contentType(), bad.body());
                assertThat(answer.statusCode()).as(bad.toString() + " -> " + answer.body()).isEqualTo(bad.status());
                assertThat(answer.headers().firstValue("Content-Type")).as(bad.toString()).hasValue("application/problem+json");
                JsonNode problem = Api.parse(answer.body());
                assertThat(problem.path("status").asInt()).as(bad.toString()).isEqualTo(bad.status());
                assertThat(problem.path("detail").asText()).as(bad.toString()).isNotBlank();
            });
        }
        checks.add(() -> assertThat(Api.parse(a.get("/api/products/abc").body()).path("detail").asText())
                .as("a 404 names what was not found").contains("/api/products/abc"));
        assertThat(checks).hasSizeGreaterThanOrEqualTo(40);
        assertAll(checks);

        assertThat(a.get("/api/products/" + id).body()).isEqualTo(before);
        assertThat(Fixtures.Database.count()).isEqualTo(rowsBefore);
    }

    @Test
    void everyHostileWriteIsRefusedAsProblemJsonAndChangesNothing() throws Exception {
        long id = Fixtures.create(a, "pantry");
        a.getJson("/api/products/" + id);
        Fixtures.Row row = Fixtures.Database.row(id);
        long rowsBefore = Fixtures.Database.count();
        Api anonymous = a.anonymous();

        List<Executable> checks = new ArrayList<>();
        for (HostileRequests.Case hostile : HostileRequests.cases(id, Fixtures.sku(id))) {
            checks.add(() -> {
                HttpResponse<String> answer = anonymous.request(hostile.method(), hostile.path(), hostile.headers(), hostile.body());
                assertThat(answer.statusCode()).as(hostile + " -> " + answer.body()).isEqualTo(hostile.status());
                if (hostile.bare()) {
                    return;
                }
                assertThat(answer.headers().firstValue("Content-Type")).as(hostile.toString()).hasValue("application/problem+json");
                assertThat(Api.parse(answer.body()).path("status").asInt()).as(hostile.toString()).isEqualTo(hostile.status());
                if (hostile.status() == 401) {
                    assertThat(answer.headers().firstValue("WWW-Authenticate")).as(hostile.toString())
                            .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
                }
                if (hostile.status() == 403) {
                    assertThat(answer.headers().firstValue("WWW-Authenticate")).as(hostile.toString())
                            .hasValue("Bearer error=\"insufficient_scope\"");
                }
            });
        }
        assertThat(checks).hasSizeGreaterThanOrEqualTo(30);
        assertAll(checks);

        assertThat(Fixtures.Database.row(id)).as("the row").isEqualTo(row);
        assertThat(Fixtures.Database.count()).as("no product created").isEqualTo(rowsBefore);
        assertThat(Redis.cached("products", String.valueOf(id))).as("the cache was not flushed").isNotNull();

        HttpResponse<String> admitted = a.json("PUT", "/api/products/" + id, Fixtures.draft(Fixtures.sku(id), "Changed by an admin", 1, "pantry"));
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
        assertThat(Fixtures.Database.row(id).name()).isEqualTo("Changed by an admin");
        a.getJson("/api/products/" + id);
        assertThat(a.request("DELETE", "/api/caches/products", Map.of("Authorization", "Bearer " + Tokens.admin())).statusCode()).isEqualTo(204);
        assertThat(Redis.cached("products", String.valueOf(id))).isNull();
    }

    private int stockOnPage(String page, long id) {
        for (JsonNode item : a.getJson(page).path("items")) {
            if (item.path("id").asLong() == id) {
                return item.path("stock").asInt();
            }
        }
        throw new AssertionError("product " + id + " not on " + page);
    }

    @Test
    void metricsFollowTheConventionsCountersEndInTotalEveryMetricHasHelpAndLoadsAndRedisCallsAreTimed() throws Exception {
        long id = Fixtures.create(a, "metrics");
        a.getJson("/api/products/" + id); // a miss and a load
        a.getJson("/api/products/" + id);
        String text = a.get("/metrics").body();
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "metrics-sample.txt"), text); // kept for the reader
        Map<String, String> types = new java.util.TreeMap<>();
        Map<String, String> help = new java.util.TreeMap<>();
        List<String> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                types.put(parts[0], parts.length > 1 ? parts[1] : "");
            } else if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                help.put(parts[0], parts.length > 1 ? parts[1].strip() : "");
            } else if (line.startsWith("larder_")) {
                samples.add(line);
            }
        }
        List<String> ours = types.keySet().stream().filter(name -> name.startsWith("larder_")).toList();

        assertThat(ours).contains("larder_cache_hits_total", "larder_cache_misses_total", "larder_cache_loads_total",
                "larder_cache_near_hits_total", "larder_cache_lease_waits_total", "larder_cache_codec_errors_total",
                "larder_catalog_product_reads_total", "larder_redis_short_circuits_total", "larder_redis_breaker_opened_total",
                "larder_ratelimit_unavailable_total", "larder_redis_breaker_open", "larder_events_clients",
                "larder_cache_load_seconds", "larder_redis_call_seconds", "larder_writebehind_flushed_total");
        assertAll(ours.stream().map(name -> (Executable) () -> {
            String type = types.get(name);
            boolean timersMean = name.endsWith("_seconds_mean") && help.containsKey(name.replaceAll("_mean$", ""));
            // Payara's exporter writes a timer's _mean without a # HELP line of its own; the timer's family has one
            assertThat(timersMean ? help.get(name.replaceAll("_mean$", "")) : help.get(name)).as("# HELP of " + name).isNotBlank();
            if (type.equals("counter")) {
                assertThat(name).as("a counter's name").endsWith("_total");
            } else if (type.equals("gauge")) {
                assertThat(name).as("a gauge is a level, not a count").doesNotEndWith("_total");
            } else {
                assertThat(type).as(name).isIn("summary", "histogram");
                assertThat(name).as("a timer shows seconds").endsWith("_seconds");
            }
        }));
        assertThat(types.get("larder_cache_hits_total")).isEqualTo("counter");
        assertThat(types.get("larder_cache_load_seconds")).isIn("summary", "histogram");
        assertThat(samples).as("every sample belongs to a family with a # TYPE").allSatisfy(sample -> {
            String name = sample.replaceAll("[{ ].*", "");
            assertThat(types.containsKey(name) || types.containsKey(name.replaceAll("_(count|sum|bucket)$", ""))).as(sample).isTrue();
        });
        double loads = sample(samples, "larder_cache_load_seconds_count", "cache=\"products\"");
        assertThat(loads).as("the load was timed").isPositive();
        assertThat(sample(samples, "larder_cache_load_seconds_sum", "cache=\"products\"") / loads).as("mean load, in seconds")
                .isPositive().isLessThan(5);
        assertThat(sample(samples, "larder_cache_load_seconds_max", "cache=\"products\"")).as("slowest load, in seconds")
                .isPositive().isLessThan(30);
        assertThat(sample(samples, "larder_redis_call_seconds_count", "call=\"read products\"")).as("Redis reads were timed").isPositive();
        long hitsNow = a.cacheStat("products", "hits");
        double hits = dev.larder.testing.Eventually.within(Duration.ofSeconds(3), Duration.ofMillis(100),
                () -> sample(List.of(a.get("/metrics").body().split("\n")), "larder_cache_hits_total", "cache=\"products\""),
                counted -> counted >= hitsNow);
        assertThat(hits).as("the hit counter follows /api/caches within a second").isGreaterThanOrEqualTo(hitsNow).isPositive();
    }

    private static double sample(List<String> samples, String name, String tag) {
        return samples.stream().filter(s -> s.startsWith(name + "{") && s.contains(tag))
                .mapToDouble(s -> Double.parseDouble(s.substring(s.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }
}
