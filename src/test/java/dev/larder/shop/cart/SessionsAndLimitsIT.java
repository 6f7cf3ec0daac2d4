package dev.larder.shop.cart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.larder.testing.Api;
import dev.larder.testing.Redis;
import dev.larder.testing.Tokens;
import dev.larder.testing.TwoInstances;
import dev.larder.testing.Concurrently;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The session filter, the rate limiter and the cart on two instances (A by Arquillian, B the shared
 * second instance) over one Redis. The limiter is watched through the "quota-test" policy that the
 * build configures: 50 requests per 5 s on {@code /api/limited-probe}.
 */
class SessionsAndLimitsIT extends TwoInstances {

    static final String PROBE = "/api/limited-probe";
    /** Limited by the "quota-keys" policy: 50 per 30 s. */
    static final String KEYS_PROBE = "/api/limited-keys";
    /** The one API key the build configures (as its SHA-256 in LARDER_RATELIMIT_API_KEYS). */
    static final String KNOWN_KEY = "it-known-key";

    @Test
    void admitsExactlyTheQuotaAcrossInstancesThenRefusesWithHeadersAndAdmitsAgainNextWindow() throws Exception {
        a.awaitReady(Duration.ofSeconds(10)); // exact only while Redis is in use: not while a breaker is open
        b.awaitReady(Duration.ofSeconds(10));
        Map<String, String> client = Map.of("X-API-Key", KNOWN_KEY);

        List<HttpResponse<String>> answers = Concurrently.run(200, i -> (i % 2 == 0 ? a : b).request("GET", PROBE, client));

        List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(answers.size() - refused.size()).as("admitted").isEqualTo(50);
        assertThat(refused).hasSize(150).allSatisfy(r -> {
            assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v))
                    .as("an admission is forgotten within a window (5 s) plus one bucket (0.25 s)").isBetween(1L, 6L));
            assertThat(r.headers().firstValue("RateLimit-Policy")).hasValue("\"quota-test\";q=50;w=5");
            assertThat(r.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"quota-test\";r=0;t="));
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(Api.parse(r.body()).path("status").asInt()).isEqualTo(429);
        });

        Thread.sleep(5300);
        assertThat(a.request("GET", PROBE, client).statusCode()).as("the next window admits again").isNotEqualTo(429);
    }

    @Test
    void unknownApiKeysBuyNoQuotaOfTheirOwn() throws Exception {
        List<HttpResponse<String>> answers = Concurrently.run(200, i -> (i % 2 == 0 ? a : b)
                .request("GET", KEYS_PROBE, Map.of("X-API-Key", "made-up-" + UUID.randomUUID())));

        assertThat(answers.stream().filter(r -> r.statusCode() != 429).count())
                .as("200 requests from one address, each with a new key, quota 50").isEqualTo(50);
        assertThat(Redis.cli("EVAL", "return #redis.call('KEYS', 'larder:ratelimit:quota-keys:*')", "0"))
                .as("one limiter key, the address's: fake keys add none").isEqualTo("1");
    }

    /**
     * Issue 8: "an authenticated caller may be keyed by the token's subject". The server verifies a
     * bearer token before any filter runs, on anonymous routes too, so the limiter keys a caller with
     * a valid token by its subject: two subjects from one address each get the whole quota, and one
     * subject through A and B shares one. (The two tokens share their {@code upn}: the subject counts.)
     */
    @Test
    void callersWithValidTokensAreKeyedByTheirSubjectAcrossInstances() throws Exception {
        a.awaitReady(Duration.ofSeconds(10));
        b.awaitReady(Duration.ofSeconds(10));
        String run = UUID.randomUUID().toString();
        List<String> subjects = List.of("it-limited-" + run + "-1", "it-limited-" + run + "-2");
        List<Map<String, String>> callers = subjects.stream()
                .map(subject -> Map.of("Authorization", "Bearer " + Tokens.claims().with("sub", subject).sign())).toList();

        List<HttpResponse<String>> answers = Concurrently.run(120, i -> (i % 2 == 0 ? a : b).request("GET", PROBE, callers.get(i / 2 % 2)));

        for (int s = 0; s < 2; s++) {
            int caller = s;
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                if (i / 2 % 2 == caller) {
                    statuses.add(answers.get(i).statusCode());
                }
            }
            assertThat(statuses).as("subject %d: 60 requests over A and B, quota 50", caller).hasSize(60)
                    .doesNotContain(401).filteredOn(status -> status != 429).hasSize(50);
            assertThat(Redis.cli("EXISTS", "larder:ratelimit:quota-test:sub:" + sha256(subjects.get(caller)).substring(0, 32)))
                    .as("subject %d's limiter key", caller).isEqualTo("1");
        }
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void aSpoofedForwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        Thread.sleep(5300); // a fresh window (5 s plus one bucket) for this test's client, the loopback address
        int admitted = 0;
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> answer = a.request("GET", PROBE, Map.of("X-Forwarded-For", "198.51.100." + i));
            admitted += answer.statusCode() == 429 ? 0 : 1;
        }
        assertThat(admitted).as("all 60 counted against the real peer").isEqualTo(50);
    }

    @Test
    void everyLimitedAnswerCarriesTheDefaultPolicyHeaders() {
        HttpResponse<String> answer = a.get("/api/ping");
        assertThat(answer.headers().firstValue("RateLimit-Policy")).hasValue("\"default\";q=1000000;w=60");
        assertThat(answer.headers().firstValue("RateLimit")).isPresent();
        assertThat(a.get("/health/ready").headers().firstValue("RateLimit")).as("health is not limited").isEmpty();
    }

    @Test
    void aCartBuiltThroughOneInstanceIsReadThroughTheOther() throws Exception {
        long tea = product(a, 450);
        long jam = product(a, 300);

        HttpResponse<String> first = a.request("PUT", "/api/cart/items/" + tea, Map.of("Content-Type", "application/json"), "{\"quantity\":2}");
        assertThat(first.statusCode()).isEqualTo(200);
        String cookie = sessionCookie(first);
        Map<String, String> session = Map.of("Cookie", cookie, "Content-Type", "application/json");
        assertThat(b.request("PUT", "/api/cart/items/" + jam, session, "{\"quantity\":1}").statusCode()).isEqualTo(200);

        JsonNode cart = Api.parse(b.request("GET", "/api/cart", session).body());
        assertThat(cart.path("items")).hasSize(2);
        assertThat(cart.path("totalCents").asLong()).isEqualTo(2 * 450 + 300);
        JsonNode throughA = Api.parse(a.request("GET", "/api/cart", session).body());
        assertThat(throughA.path("totalCents").asLong()).isEqualTo(1200);

        assertThat(a.request("DELETE", "/api/cart/items/" + tea, session).statusCode()).isEqualTo(200);
        assertThat(Api.parse(b.request("GET", "/api/cart", session).body()).path("totalCents").asLong()).isEqualTo(300);
        assertThat(b.request("DELETE", "/api/cart", session).statusCode()).isEqualTo(204);
        assertThat(Api.parse(a.request("GET", "/api/cart", session).body()).path("items")).isEmpty();
    }

    @Test
    void theSessionCookieIsHttpOnlySameSiteAndLong() throws Exception {
        long tea = product(a, 100);
        HttpResponse<String> answer = a.request("PUT", "/api/cart/items/" + tea, Map.of("Content-Type", "application/json"), "{\"quantity\":1}");

        String setCookie = answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("LARDER_SESSION=")).findFirst().orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax").contains("Path=/");
        String id = setCookie.substring("LARDER_SESSION=".length(), setCookie.indexOf(';'));
        assertThat(id).matches("[A-Za-z0-9_-]{43}");
        assertThat(Redis.cli("EXISTS", "larder:session:" + id)).isEqualTo("1");
        long ttl = Long.parseLong(Redis.cli("TTL", "larder:session:" + id));
        assertThat(ttl).isBetween(1700L, 1800L);
    }

    @Test
    void aRequestThatNeverTouchesTheSessionWritesNothing() throws Exception {
        long id = product(a, 100);
        String before = Redis.cli("EVAL", "return #redis.call('KEYS', 'larder:session:*')", "0");

        HttpResponse<String> answer = a.get("/api/products/" + id);
        HttpResponse<String> cart = a.get("/api/cart");

        assertThat(answer.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(cart.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(Redis.cli("EVAL", "return #redis.call('KEYS', 'larder:session:*')", "0")).isEqualTo(before);
    }

    @Test
    void badCartInputAnswers4xxProblemJson() {
        long id = product(a, 100);
        Map<String, String> json = Map.of("Content-Type", "application/json");
        assertThat(a.request("PUT", "/api/cart/items/999999999", json, "{\"quantity\":1}").statusCode()).isEqualTo(404);
        assertThat(a.request("PUT", "/api/cart/items/" + id, json, "{\"quantity\":0}").statusCode()).isEqualTo(400);
        assertThat(a.request("PUT", "/api/cart/items/" + id, json, "{\"quantity\":100000}").statusCode()).isEqualTo(400);
        assertThat(a.request("PUT", "/api/cart/items/" + id, json, "{\"quantity\":1.5}").statusCode()).isEqualTo(400);
        HttpResponse<String> abc = a.request("PUT", "/api/cart/items/abc", json, "{\"quantity\":1}");
        assertThat(abc.statusCode()).isEqualTo(404);
        assertThat(abc.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void withRedisDownSessionsAnswer503AndTheLimiterFailsOpen() throws Exception {
        long id = product(a, 100);
        HttpResponse<String> first = a.request("PUT", "/api/cart/items/" + id, Map.of("Content-Type", "application/json"), "{\"quantity\":1}");
        String cookie = sessionCookie(first);
        try {
            Redis.stop();
            // A lease of permits for this client (the tests before made bursts of requests) would still admit
            // from memory for up to 100 ms without asking Redis; once it has ended, the limiter must ask.
            Thread.sleep(250);
            HttpResponse<String> cart = a.request("GET", "/api/cart", Map.of("Cookie", cookie));
            assertThat(cart.statusCode()).isEqualTo(503);
            assertThat(cart.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(a.get("/api/ping").statusCode()).as("fail-open").isEqualTo(200);
            assertThat(a.metric("larder_ratelimit_unavailable_total")).isPositive();
        } finally {
            Redis.start();
        }
        a.awaitReady(Duration.ofSeconds(30));
        b.awaitReady(Duration.ofSeconds(30));
    }

    @Test
    void fiftyConcurrentChangesOfDifferentLinesThroughBothInstancesAllSurviveAndTheFiftyFirstLineIs400() throws Exception {
        List<Long> products = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            products.add(product(a, 100 + i));
        }
        HttpResponse<String> first = a.request("PUT", "/api/cart/items/" + products.get(0), Map.of("Content-Type", "application/json"), "{\"quantity\":1}");
        Map<String, String> session = Map.of("Cookie", sessionCookie(first), "Content-Type", "application/json");

        List<HttpResponse<String>> answers = Concurrently.run(50, i -> (i % 2 == 0 ? a : b)
                .request("PUT", "/api/cart/items/" + products.get(i), session, "{\"quantity\":" + (i + 2) + "}"));

        assertThat(answers).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().allValues("Set-Cookie")).as("the same session throughout").noneMatch(c -> c.startsWith("LARDER_SESSION="));
        });
        for (Api api : List.of(a, b)) {
            JsonNode items = Api.parse(api.request("GET", "/api/cart", session).body()).path("items");
            assertThat(items).hasSize(50);
            for (int i = 0; i < 50; i++) {
                assertThat(items.get(i).path("productId").asLong()).isEqualTo(products.get(i));
                assertThat(items.get(i).path("quantity").asInt()).as("line %d", i).isEqualTo(i + 2);
            }
        }
        HttpResponse<String> tooMany = b.request("PUT", "/api/cart/items/" + products.get(50), session, "{\"quantity\":1}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(a.request("PUT", "/api/cart/items/" + products.get(7), session, "{\"quantity\":1000}").statusCode())
                .as("a line already in a full cart may change").isEqualTo(200);
        assertThat(Api.parse(b.request("GET", "/api/cart", session).body()).path("items")).hasSize(50);
    }

    @Test
    void redisFailingAtTheSessionCommitAnswers503ProblemJsonWithACompleteBody() throws Exception {
        long id = product(a, 100);
        b.awaitReady(Duration.ofSeconds(10));
        HttpResponse<String> answer;
        second.redisProxy().stall(); // B alone loses Redis: a new session is created without Redis, its first save fails
        try {
            answer = b.request("PUT", "/api/cart/items/" + id, Map.of("Content-Type", "application/json"), "{\"quantity\":1}");
        } finally {
            second.redisProxy().resume();
        }
        b.awaitReady(Duration.ofSeconds(30));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = Api.parse(answer.body());
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("detail").asText()).contains("Sessions are unavailable");
        assertThat(problem.has("items")).as("nothing of the cart the resource answered").isFalse();
    }

    private static long product(Api api, long priceCents) {
        String sku = "cart-" + UUID.randomUUID().toString().substring(0, 12);
        HttpResponse<String> created = api.request("POST", "/api/products", Map.of("Content-Type", "application/json"),
                "{\"sku\":\"" + sku + "\",\"name\":\"Cart item\",\"priceCents\":" + priceCents + ",\"stock\":10,\"category\":\"pantry\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Api.parse(created.body()).path("id").asLong();
    }

    private static String sessionCookie(HttpResponse<String> answer) {
        String setCookie = answer.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("LARDER_SESSION=")).findFirst().orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }
}
