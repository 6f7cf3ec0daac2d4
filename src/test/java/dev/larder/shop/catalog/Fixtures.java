package dev.larder.shop.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.larder.testing.Api;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Products for the integration tests, created through the API, and direct access to their database. */
final class Fixtures {

    static final AtomicInteger SEQUENCE = new AtomicInteger();
    static final Map<Long, String> SKUS = new ConcurrentHashMap<>();

    private Fixtures() {
    }

    /** Creates a product (a create does not populate the cache) and returns its id. */
    static long create(Api api, String category) {
        String sku = "it-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = api.json("POST", "/api/products", draft(sku, "Product " + sku, 250, category));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = Api.parse(created.body()).path("id").asLong();
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/products/" + id));
        SKUS.put(id, sku);
        return id;
    }

    static String sku(long id) {
        return SKUS.get(id);
    }

    static String draft(String sku, String name, long priceCents, String category) {
        return draft(sku, name, priceCents, category, 10);
    }

    static String draft(String sku, String name, long priceCents, String category, int stock) {
        return """
                {"sku":"%s","name":"%s","description":"From the tests","priceCents":%d,"stock":%d,"category":"%s"}"""
                .formatted(sku, name, priceCents, stock, category);
    }

    /** The fields of a product that a write sets, to compare what an instance serves with the database row. */
    record Row(String sku, String name, String description, long priceCents, int stock, String category) {

        static Row of(JsonNode product) {
            return new Row(product.path("sku").asText(), product.path("name").asText(), product.path("description").asText(),
                    product.path("priceCents").asLong(), product.path("stock").asInt(), product.path("category").asText());
        }
    }

    /** Direct access to the test database, to change or count rows behind the application's back. */
    static final class Database {

        static Connection connect() throws Exception {
            return DriverManager.getConnection(System.getProperty("larder.it.db-url"), "postgres", "postgres");
        }

        static void update(String sql, long id) throws Exception {
            try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, id);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
        }

        /** Waits until every invalidation recorded in the outbox was relayed (at most 10 s). */
        static void awaitOutboxEmpty() throws Exception {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (true) {
                try (Connection c = connect(); PreparedStatement s = c.prepareStatement("select count(*) from larder_cache_outbox");
                     ResultSet r = s.executeQuery()) {
                    r.next();
                    if (r.getLong(1) == 0) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("outbox still holds rows after 10 s").isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        /** The product's row as committed, or null if there is none. */
        static Row row(long id) throws Exception {
            try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                    "select sku, name, description, pricecents, stock, category from product where id = ?")) {
                s.setLong(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new Row(r.getString(1), r.getString(2), r.getString(3), r.getLong(4), r.getInt(5), r.getString(6)) : null;
                }
            }
        }

        static long count() throws Exception {
            try (Connection c = connect(); PreparedStatement s = c.prepareStatement("select count(*) from product");
                 ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
