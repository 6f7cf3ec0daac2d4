package dev.larder.shop.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.larder.testing.Api;
import dev.larder.testing.Browser;
import dev.larder.testing.Concurrently;
import dev.larder.testing.Eventually;
import dev.larder.testing.SseClient;
import dev.larder.testing.TwoInstances;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Orders and best sellers through both instances on one Redis and one database: no oversell under
 * concurrent checkouts, idempotent retries, orders private to their session, a ranking that
 * survives losing Redis's copy, and the operators' dashboard showing it all live in a browser.
 */
class ShopIT extends TwoInstances {

    static final String JSON = "application/json";

    @Test
    void twoHundredConcurrentCheckoutsOfTheLastTenUnitsSellExactlyTen() throws Exception {
        long id = product(a, "last-units", 500, 10);
        List<String> sessions = Concurrently.run(200, i -> cartWith(i % 2 == 0 ? a : b, id, 1));

        List<HttpResponse<String>> answers = Concurrently.run(200, i -> (i % 2 == 0 ? a : b)
                .request("POST", "/api/orders", Map.of("Cookie", sessions.get(i))));

        Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(byStatus).as("answers by status").containsOnly(Map.entry(201, 10L), Map.entry(409, 190L));
        answers.stream().filter(r -> r.statusCode() == 409).forEach(r -> {
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(Api.parse(r.body()).path("detail").asText()).contains("product " + id);
        });
        Thread.sleep(100);
        assertThat(a.getJson("/api/products/" + id).path("stock").asInt()).isZero();
        assertThat(b.getJson("/api/products/" + id).path("stock").asInt()).isZero();
        assertThat(a.getJson("/api/leaderboard/best-sellers/" + id).path("unitsSold").asLong()).isEqualTo(10);
    }

    @Test
    void aRetriedCheckoutWithTheSameIdempotencyKeyReturnsTheFirstOrder() throws Exception {
        long id = product(a, "retries", 300, 5);
        String session = cartWith(a, id, 2);
        Map<String, String> headers = Map.of("Cookie", session, "Idempotency-Key", "retry-" + UUID.randomUUID());

        HttpResponse<String> first = a.request("POST", "/api/orders", headers);
        HttpResponse<String> again = b.request("POST", "/api/orders", headers);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        assertThat(Api.parse(again.body()).path("id").asLong()).isEqualTo(Api.parse(first.body()).path("id").asLong());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(a.getJson("/api/products/" + id).path("stock").asInt()).as("sold once").isEqualTo(3);
        assertThat(Api.parse(a.request("GET", "/api/cart", Map.of("Cookie", session)).body()).path("items")).as("cart emptied").isEmpty();
        assertThat(Api.parse(first.body()).path("totalCents").asLong()).isEqualTo(600);
        assertThat(first.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/orders/"
                + Api.parse(first.body()).path("id").asLong()));
    }

    /**
     * A client that retries its first checkout while the first attempt still runs (a timeout), on both
     * instances at once: one order, stock decremented once, every answer that order or a clean
     * refusal, and the order is the session's.
     */
    @Test
    void concurrentRetriesOfASessionsFirstCheckoutWithOneKeyPlaceOneOrder() throws Exception {
        long id = product(a, "retried-at-once", 120, 100);
        String session = cartWith(a, id, 1);
        String key = "at-once-" + UUID.randomUUID();
        Map<String, String> headers = Map.of("Cookie", session, "Idempotency-Key", key);

        List<HttpResponse<String>> answers = Concurrently.run(16, i -> (i % 2 == 0 ? a : b).request("POST", "/api/orders", headers));

        List<Long> ids = new ArrayList<>();
        List<String> replayed = new ArrayList<>();
        for (HttpResponse<String> answer : answers) {
            if (answer.statusCode() == 201) {
                ids.add(Api.parse(answer.body()).path("id").asLong());
                replayed.add(answer.headers().firstValue("Idempotent-Replayed").orElse("?"));
            } else {
                assertThat(answer.statusCode()).as(answer.body()).isBetween(400, 499);
                assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            }
        }
        assertThat(ids).as("every order answered").isNotEmpty().containsOnly(ids.get(0));
        assertThat(replayed).as("placed once, replayed for the others").containsOnlyOnce("false");
        assertThat(ordersWithKey(key)).as("orders in the database").isEqualTo(1);
        assertThat(a.getJson("/api/products/" + id).path("stock").asInt()).as("sold once").isEqualTo(99);
        assertThat(b.getJson("/api/products/" + id).path("stock").asInt()).isEqualTo(99);
        assertThat(b.request("GET", "/api/orders/" + ids.get(0), Map.of("Cookie", session)).statusCode()).as("the session's order").isEqualTo(200);
    }

    @Test
    void anOrderIsTheSessionsOwnAndPricedFromTheDatabaseAtCheckout() throws Exception {
        long id = product(a, "private", 250, 5);
        String session = cartWith(b, id, 1);
        assertThat(a.json("PUT", "/api/products/" + id, draft("private-" + id, 275, 5)).statusCode()).isEqualTo(200);

        HttpResponse<String> placed;
        try (SseClient inventory = SseClient.connect(b.url("/api/events?productId=" + id), Map.of())) {
            inventory.next(Duration.ofSeconds(10)); // connected
            placed = a.request("POST", "/api/orders", Map.of("Cookie", session));
            SseClient.Event event = inventory.nextEvent(Duration.ofSeconds(5));
            assertThat(event).as("an order is a stock change: B's event clients hear it").isNotNull();
            assertThat(event.name()).isEqualTo("inventory");
            assertThat(Api.parse(event.data()).path("stock").asInt()).isEqualTo(4);
        }
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        JsonNode order = Api.parse(placed.body());
        String path = "/api/orders/" + order.path("id").asLong();

        assertThat(order.path("items").get(0).path("priceCents").asLong()).as("the database's price at checkout").isEqualTo(275);
        assertThat(b.request("GET", path, Map.of("Cookie", session)).statusCode()).isEqualTo(200);
        assertThat(b.request("GET", path, Map.of("Cookie", cartWith(a, id, 1))).statusCode()).as("another session").isEqualTo(404);
        assertThat(a.get(path).statusCode()).as("no session").isEqualTo(404);
        HttpResponse<String> empty = a.request("POST", "/api/orders", Map.of("Cookie", session));
        assertThat(empty.statusCode()).as("the cart was emptied").isEqualTo(400);
        assertThat(empty.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(a.request("POST", "/api/orders", Map.of("Idempotency-Key", "bad key!")).statusCode()).isEqualTo(400);
    }

    @Test
    void theRankingIsRebuiltFromTheDatabaseWhenRedisLosesItAndDeletedProductsLeaveIt() throws Exception {
        long tea = product(a, "ranking", 100, 100);
        long jam = product(a, "ranking", 100, 100);
        long gone = product(a, "ranking", 100, 100);
        order(a, tea, 30);
        order(b, jam, 20);
        order(a, gone, 50);
        assertThat(b.getJson("/api/leaderboard/best-sellers/" + gone).path("unitsSold").asLong()).isEqualTo(50);

        redis("DEL", "larder:{best-sellers}", "larder:{best-sellers}:complete"); // as after a restart without persistence
        assertThat(a.send("DELETE", "/api/products/" + gone, null, null).statusCode()).isEqualTo(204);

        JsonNode top = a.getJson("/api/leaderboard/best-sellers?limit=100");
        List<Long> ids = new ArrayList<>();
        top.forEach(r -> ids.add(r.path("productId").asLong()));
        assertThat(ids).contains(tea, jam).doesNotContain(gone);
        assertThat(b.getJson("/api/leaderboard/best-sellers/" + tea).path("unitsSold").asLong()).as("rebuilt exactly").isEqualTo(30);
        assertThat(b.getJson("/api/leaderboard/best-sellers/" + jam).path("unitsSold").asLong()).isEqualTo(20);
        order(b, tea, 1);
        assertThat(a.getJson("/api/leaderboard/best-sellers/" + tea).path("unitsSold").asLong()).as("counting goes on").isEqualTo(31);
        assertThat(a.get("/api/leaderboard/best-sellers/" + gone).statusCode()).isEqualTo(404);
        assertThat(a.get("/api/leaderboard/best-sellers?limit=0").statusCode()).isEqualTo(400);
        assertThat(a.get("/api/leaderboard/best-sellers?limit=abc").statusCode()).isEqualTo(400);
    }

    /**
     * A rebuild reads the units sold and the orders still to count from one snapshot: an order that
     * commits while the rebuild reads (held here, on a lock of its lines' table, until the rebuild's
     * read waits for it) is summed and marked counted together, so the sweep never adds it again.
     */
    @Test
    void anOrderCommittingWhileTheRankingIsRebuiltIsCountedOnce() throws Exception {
        long id = product(a, "rebuild-race", 100, 100);
        order(a, id, 5);
        assertThat(b.getJson("/api/leaderboard/best-sellers/" + id).path("unitsSold").asLong()).isEqualTo(5);
        redis("DEL", "larder:{best-sellers}", "larder:{best-sellers}:complete"); // lost: the next reader rebuilds

        long late;
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (Connection db = database()) {
            db.setAutoCommit(false);
            db.createStatement().execute("lock table order_line in access exclusive mode");
            late = insertOrder(db, id, 7); // committed only once the rebuild has started reading
            Future<HttpResponse<String>> rank = reader.submit(() -> a.get("/api/leaderboard/best-sellers/" + id));
            awaitAQueryWaitingOnALock("%sum(%quantity%");
            db.commit();

            HttpResponse<String> answer = rank.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(Api.parse(answer.body()).path("unitsSold").asLong()).as("the late order is in the rebuilt set").isEqualTo(12);
        } finally {
            reader.shutdownNow();
        }
        assertThat(Eventually.within(Duration.ofSeconds(20), Duration.ofMillis(100), () -> countedAt(late), at -> at != null))
                .as("the late order marked counted").isNotNull();
        Thread.sleep(4_000); // two sweeps of each instance
        assertThat(a.getJson("/api/leaderboard/best-sellers/" + id).path("unitsSold").asLong()).as("counted once").isEqualTo(12);
        assertThat(b.getJson("/api/leaderboard/best-sellers/" + id).path("unitsSold").asLong()).isEqualTo(12);
    }

    /** While another instance holds the rebuild's lease the set is missing or partial: readers answer from the database. */
    @Test
    void whileAnotherInstanceRebuildsTheRankingReadersAnswerFromTheDatabase() throws Exception {
        long id = product(a, "rebuilt-elsewhere", 100, 100);
        order(b, id, 4);
        try {
            redis("SET", "larder:{best-sellers}:rebuilding", "another-instance", "EX", "60");
            redis("DEL", "larder:{best-sellers}", "larder:{best-sellers}:complete");

            JsonNode top = b.getJson("/api/leaderboard/best-sellers?limit=100");
            assertThat(top.findValuesAsText("productId")).as("the ranking, not an empty one").contains(String.valueOf(id));
            HttpResponse<String> rank = a.get("/api/leaderboard/best-sellers/" + id);
            assertThat(rank.statusCode()).as(rank.body()).isEqualTo(200);
            assertThat(Api.parse(rank.body()).path("unitsSold").asLong()).isEqualTo(4);
            assertThat(redis("EXISTS", "larder:{best-sellers}:complete")).as("nobody rebuilt under another's lease").isEqualTo("0");
        } finally {
            redis("DEL", "larder:{best-sellers}:rebuilding");
        }
        assertThat(a.getJson("/api/leaderboard/best-sellers/" + id).path("unitsSold").asLong()).isEqualTo(4);
        assertThat(redis("EXISTS", "larder:{best-sellers}:complete")).as("rebuilt once the lease was free").isEqualTo("1");
    }

    @Test
    void aProductDeletedWhileTheRankingIsIntactLeavesItWhenItIsNextRead() throws Exception {
        long kept = product(a, "deleted-later", 100, 100);
        long gone = product(a, "deleted-later", 100, 100);
        order(a, kept, 2);
        order(b, gone, 3);
        assertThat(redis("ZSCORE", "larder:{best-sellers}", String.valueOf(gone))).isEqualTo("3");

        assertThat(a.send("DELETE", "/api/products/" + gone, null, null).statusCode()).isEqualTo(204);

        JsonNode top = b.getJson("/api/leaderboard/best-sellers?limit=100");
        assertThat(top.findValuesAsText("productId")).contains(String.valueOf(kept)).doesNotContain(String.valueOf(gone));
        assertThat(redis("ZSCORE", "larder:{best-sellers}", String.valueOf(gone))).as("dropped from the set when read").isEmpty();
        assertThat(redis("EXISTS", "larder:{best-sellers}:complete")).as("no rebuild was needed").isEqualTo("1");
        assertThat(a.get("/api/leaderboard/best-sellers/" + gone).statusCode()).isEqualTo(404);
    }

    /**
     * The operators' dashboard at B's root, in headless Chromium: traffic through the shop moves the
     * products cache's hit-ratio plot, a stock change made on A appears in B's event feed, an order
     * enters the ranking, Redis and the database show as up; no credentials and no session. The
     * window is kept as target/dashboard.png.
     */
    @Test
    void theDashboardAtTheRootShowsTrafficEventsAndBestSellersLive() throws Exception {
        HttpResponse<String> root = b.get("/");
        assertThat(root.statusCode()).as(root.body()).isEqualTo(200);
        assertThat(root.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(root.body()).contains("dashboard/dashboard.js");
        for (HttpResponse<String> file : List.of(root, b.get("/dashboard/dashboard.js"), b.get("/dashboard/dashboard.css"))) {
            assertThat(file.statusCode()).as(file.uri().toString()).isEqualTo(200);
            assertThat(file.headers().allValues("Set-Cookie")).as("no session for " + file.uri()).isEmpty();
            assertThat(file.headers().firstValue("RateLimit")).as("static files are never rate limited").isEmpty();
        }
        long id = product(a, "dashboard", 400, 50);
        Duration bounded = Duration.ofSeconds(30);

        try (Browser browser = Browser.start()) {
            try {
                browser.open(b.url("/"));
                browser.await(bounded, "Redis and the database shown as up", d -> status(d, "redis").equals("UP") && status(d, "database").equals("UP"));
                browser.await(bounded, "the event feed connected", d -> "open".equals(attribute(d, "#events-state", "data-state")));
                browser.await(bounded, "two polls of the cache statistics", d -> Integer.parseInt(attribute(d, "#caches", "data-polls")) >= 2);
                String products = "section.cache[data-cache='products']";
                for (int burst = 1; burst <= 2; burst++) { // the plot moves with each burst of reads, not just once
                    long lookups = Long.parseLong(attribute(browser.driver(), products, "data-lookups"));
                    int points = Integer.parseInt(attribute(browser.driver(), products, "data-points"));
                    String plot = attribute(browser.driver(), products + " path.ratio", "d");
                    for (int i = 0; i < 20; i++) {
                        assertThat(b.get("/api/products/" + id).statusCode()).isEqualTo(200);
                    }
                    browser.await(bounded, "burst " + burst + ": the products cache counting its 20 lookups", d ->
                            Long.parseLong(attribute(d, products, "data-lookups")) >= lookups + 20);
                    browser.await(bounded, "burst " + burst + ": the hit-ratio plot moving", d ->
                            Integer.parseInt(attribute(d, products, "data-points")) > points
                                    && !attribute(d, products + " path.ratio", "d").equals(plot));
                }
                HttpResponse<String> stock = a.json("POST", "/api/products/" + id + "/stock", "{\"delta\":-1}");
                assertThat(stock.statusCode()).as(stock.body()).isEqualTo(200);
                order(b, id, 3);

                browser.await(bounded, "the stock change of product " + id + " (made on A) in B's feed", d ->
                        !d.findElements(By.cssSelector("#events li[data-event='inventory'][data-product-id='" + id + "']")).isEmpty());
                browser.await(bounded, "product " + id + " among the best sellers with 3 units", d ->
                        "3".equals(attribute(d, "#best-sellers li[data-product-id='" + id + "']", "data-units")));
                assertThat(browser.driver().manage().getCookies()).as("reading needs no session and no credentials").isEmpty();
            } finally {
                browser.screenshot(Path.of("target", "dashboard.png"));
            }
        }
    }

    private static String status(WebDriver page, String check) {
        return attribute(page, "#health li[data-check='" + check + "']", "data-status");
    }

    private static String attribute(WebDriver page, String css, String name) {
        String value = page.findElement(By.cssSelector(css)).getDomAttribute(name);
        return value == null ? "" : value;
    }

    private static long product(Api api, String category, long priceCents, int stock) {
        String sku = category + "-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = api.json("POST", "/api/products", """
                {"sku":"%s","name":"Product %s","description":"From the tests","priceCents":%d,"stock":%d,"category":"%s"}"""
                .formatted(sku, sku, priceCents, stock, category));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Api.parse(created.body()).path("id").asLong();
    }

    private static String draft(String sku, long priceCents, int stock) {
        return """
                {"sku":"%s","name":"Renamed %s","description":"From the tests","priceCents":%d,"stock":%d,"category":"private"}"""
                .formatted(sku, sku, priceCents, stock);
    }

    /** A new session with one cart line; its cookie. */
    private static String cartWith(Api api, long productId, int quantity) {
        HttpResponse<String> line = api.request("PUT", "/api/cart/items/" + productId, Map.of("Content-Type", JSON),
                "{\"quantity\":" + quantity + "}");
        assertThat(line.statusCode()).as(line.body()).isEqualTo(200);
        return line.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("LARDER_SESSION="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
    }

    private static void order(Api api, long productId, int quantity) {
        HttpResponse<String> placed = api.request("POST", "/api/orders", Map.of("Cookie", cartWith(api, productId, quantity)));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    }

    private static Connection database() throws Exception {
        return DriverManager.getConnection(System.getProperty("larder.it.db-url"), "postgres", "postgres");
    }

    /** An order of {@code quantity} units placed a day ago and not counted yet, in the caller's transaction; its id. */
    private static long insertOrder(Connection db, long productId, int quantity) throws Exception {
        long id;
        try (ResultSet next = db.createStatement().executeQuery("select nextval('order_ids')")) {
            next.next();
            id = next.getLong(1);
        }
        try (PreparedStatement order = db.prepareStatement(
                "insert into orders (id, createdat, owner) values (?, localtimestamp - interval '1 day', 'it-inserted')");
             PreparedStatement line = db.prepareStatement(
                     "insert into order_line (order_id, productid, quantity, pricecents) values (?, ?, ?, 100)")) {
            order.setLong(1, id);
            order.executeUpdate();
            line.setLong(1, id);
            line.setLong(2, productId);
            line.setInt(3, quantity);
            line.executeUpdate();
        }
        return id;
    }

    /** Waits (at most 10 s) until a statement of the application that matches {@code pattern} waits for a lock. */
    private static void awaitAQueryWaitingOnALock(String pattern) throws Exception {
        try (Connection c = database(); PreparedStatement s = c.prepareStatement("select count(*) from pg_stat_activity"
                + " where datname = current_database() and wait_event_type = 'Lock' and query ilike ?")) {
            s.setString(1, pattern);
            long waiting = Eventually.within(Duration.ofSeconds(10), Duration.ofMillis(20), () -> {
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }, n -> n > 0);
            assertThat(waiting).as("a statement like '%s' waiting for a lock", pattern).isPositive();
        }
    }

    private static java.sql.Timestamp countedAt(long orderId) throws Exception {
        try (Connection c = database(); PreparedStatement s = c.prepareStatement("select countedat from orders where id = ?")) {
            s.setLong(1, orderId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getTimestamp(1);
            }
        }
    }

    private static long ordersWithKey(String key) throws Exception {
        try (Connection c = database();
             PreparedStatement s = c.prepareStatement("select count(*) from orders where idempotencykey = ?")) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String redis(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-c", "-p", System.getProperty("larder.it.redis-port"), "--raw"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return output.strip();
    }
}
