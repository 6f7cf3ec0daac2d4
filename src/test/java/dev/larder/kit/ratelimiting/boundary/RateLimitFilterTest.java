package dev.larder.kit.ratelimiting.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.larder.kit.metrics.control.MirroredCounters;
import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.testing.RecordedResponse;
import dev.larder.testing.RedisServer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * The rate-limit filter as the container runs it, on a real redis-server: who a request counts
 * against (a known API key, bound to a policy or not; an unknown one refused in {@code reject}
 * mode; the subject of a token the server verified) and what it answers. Requests and responses are minimal stand-ins.
 */
class RateLimitFilterTest {

    static final String KNOWN = "known-key-" + UUID.randomUUID();
    static final String PARTNER = "partner-key-" + UUID.randomUUID();

    static RedisServer redis;
    static RedissonClient client;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        client = redis.client("dev.larder.", "java.lang.");
    }

    @AfterAll
    static void stop() throws Exception {
        client.shutdown();
        redis.close();
    }

    /** Configuration: the default policy 2 per minute, "partners" (bound to one key) 3 per minute, unknown keys rejected. */
    static Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("larder.ratelimit.default.limit", "2");
        settings.put("larder.ratelimit.policies", "partners");
        settings.put("larder.ratelimit.policies.partners.pattern", "/api/partners-only");
        settings.put("larder.ratelimit.policies.partners.limit", "3");
        settings.put("larder.ratelimit.api-keys", sha256(KNOWN) + "," + sha256(PARTNER) + "=partners");
        settings.put("larder.ratelimit.unknown-api-keys", "reject");
        return settings;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    RateLimitFilter filter(Map<String, String> settings, RedisBreaker breaker) {
        RateLimitFilter filter = new RateLimitFilter();
        filter.redisson = client;
        filter.breaker = breaker;
        filter.config = (Config) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Config.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("getOptionalValue")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Optional<String> value = Optional.ofNullable(settings.get((String) args[0]));
                    return args[1] == Boolean.class ? value.map(Boolean::valueOf) : value;
                });
        Counter counter = (Counter) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Counter.class},
                (proxy, method, args) -> method.getReturnType() == long.class ? 0L : null);
        filter.metrics = (MetricRegistry) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{MetricRegistry.class},
                (proxy, method, args) -> method.getName().equals("counter") ? counter : null);
        filter.mirrored = new MirroredCounters() {
            @Override
            public void mirror(String name, String description, LongSupplier source, Tag... tags) {
            }
        };
        filter.init();
        return filter;
    }

    /** A GET of {@code path} from {@code address}, with these headers. */
    static HttpServletRequest request(String address, String path, Map<String, String> headers) {
        return request(address, path, headers, null);
    }

    /** The same, by a caller the server authenticated as {@code caller} (null: anonymous). */
    static HttpServletRequest request(String address, String path, Map<String, String> headers, Principal caller) {
        return (HttpServletRequest) Proxy.newProxyInstance(RateLimitFilterTest.class.getClassLoader(),
                new Class<?>[]{HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getMethod" -> "GET";
                    case "getServletPath" -> path;
                    case "getRemoteAddr" -> address;
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getUserPrincipal" -> caller;
                    default -> null;
                });
    }

    /** The principal MP-JWT leaves on a request whose token it verified. */
    static JsonWebToken token(String subject) {
        return (JsonWebToken) Proxy.newProxyInstance(RateLimitFilterTest.class.getClassLoader(), new Class<?>[]{JsonWebToken.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSubject", "getName" -> subject;
                    default -> null;
                });
    }

    /** What the filter answered, and whether the request reached the application. */
    static final class Answer {
        final RecordedResponse recorded = new RecordedResponse();
        final HttpServletResponse response = recorded.response;
        final Map<String, String> headers = recorded.headers;
        boolean passed;

        int status() {
            return recorded.status;
        }

        String contentType() {
            return recorded.contentType;
        }

        JsonNode problem() throws Exception {
            return recorded.json();
        }
    }

    static Answer send(RateLimitFilter filter, HttpServletRequest request) throws Exception {
        Answer answer = new Answer();
        filter.doFilter(request, answer.response, (req, res) -> answer.passed = true);
        return answer;
    }

    long limiterKeys(String pattern) {
        return client.getKeys().getKeysStreamByPattern("larder:ratelimit:" + pattern).count();
    }

    @Test
    void inRejectModeAnUnknownKeyAnswers401ProblemJsonWithAnApiKeyChallengeAndNeverReachesTheApplication() throws Exception {
        try (RedisBreaker breaker = new RedisBreaker(() -> true, Duration.ofMinutes(10))) {
            RateLimitFilter filter = filter(settings(), breaker);
            String address = "198.51.100.7";
            long keysBefore = limiterKeys("*");

            Answer answer = send(filter, request(address, "/api/ping", Map.of("X-API-Key", "made-up-" + UUID.randomUUID())));

            assertThat(answer.passed).as("the application never saw it").isFalse();
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.contentType()).isEqualTo("application/problem+json");
            assertThat(answer.headers).containsEntry("WWW-Authenticate", "ApiKey header=\"X-API-Key\"");
            assertThat(answer.problem().path("status").asInt()).isEqualTo(401);
            assertThat(answer.problem().path("detail").asText()).contains("X-API-Key");
            assertThat(limiterKeys("*")).as("nothing counted in Redis for it").isEqualTo(keysBefore);

            Answer withoutKey = send(filter, request(address, "/api/ping", Map.of()));
            assertThat(withoutKey.passed).as("no key at all: counted by address").isTrue();
            assertThat(limiterKeys("default:ip:" + address)).isEqualTo(1);
        }
    }

    @Test
    void aKnownKeyIsAClientOfItsOwnUnderTheRoutesPolicy() throws Exception {
        try (RedisBreaker breaker = new RedisBreaker(() -> true, Duration.ofMinutes(10))) {
            RateLimitFilter filter = filter(settings(), breaker);
            HttpServletRequest known = request("198.51.100.8", "/api/ping", Map.of("X-API-Key", KNOWN));

            Answer first = send(filter, known);

            assertThat(first.passed).isTrue();
            assertThat(first.headers).containsEntry("RateLimit-Policy", "\"default\";q=2;w=60");
            assertThat(limiterKeys("default:key:" + sha256(KNOWN).substring(0, 32))).as("counted under the key's hash").isEqualTo(1);
            assertThat(send(filter, known).passed).isTrue();
            Answer third = send(filter, known);
            assertThat(third.status()).as("the default policy's limit, 2").isEqualTo(429);
            assertThat(send(filter, request("198.51.100.8", "/api/ping", Map.of())).passed)
                    .as("the same address without the key is another client").isTrue();
        }
    }

    @Test
    void aKeyBoundToAPolicyGetsThatPolicyInsteadOfTheRoutes() throws Exception {
        try (RedisBreaker breaker = new RedisBreaker(() -> true, Duration.ofMinutes(10))) {
            RateLimitFilter filter = filter(settings(), breaker);
            HttpServletRequest partner = request("198.51.100.9", "/api/ping", Map.of("X-API-Key", PARTNER));
            AtomicInteger admitted = new AtomicInteger();

            for (int i = 0; i < 5; i++) {
                Answer answer = send(filter, partner);
                assertThat(answer.headers).containsEntry("RateLimit-Policy", "\"partners\";q=3;w=60");
                admitted.addAndGet(answer.passed ? 1 : 0);
            }

            assertThat(admitted).as("the partners' limit (3), not the route's (2)").hasValue(3);
            assertThat(limiterKeys("partners:key:" + sha256(PARTNER).substring(0, 32))).isEqualTo(1);
        }
    }

    @Test
    void aCallerWithAVerifiedTokenIsKeyedByItsSubjectNotByItsAddress() throws Exception {
        try (RedisBreaker breaker = new RedisBreaker(() -> true, Duration.ofMinutes(10))) {
            RateLimitFilter filter = filter(settings(), breaker);
            String alice = "alice-" + UUID.randomUUID();
            String bob = "bob-" + UUID.randomUUID();
            String address = "198.51.100.10";

            int aliceAdmitted = 0;
            int bobAdmitted = 0;
            for (int i = 0; i < 3; i++) { // the default policy admits 2 a minute
                aliceAdmitted += send(filter, request(i % 2 == 0 ? address : "203.0.113.10", "/api/ping", Map.of(), token(alice))).passed ? 1 : 0;
                bobAdmitted += send(filter, request(address, "/api/ping", Map.of(), token(bob))).passed ? 1 : 0;
            }

            assertThat(aliceAdmitted).as("one subject from two addresses shares one quota").isEqualTo(2);
            assertThat(bobAdmitted).as("another subject from the same address has a quota of its own").isEqualTo(2);
            assertThat(send(filter, request(address, "/api/ping", Map.of())).passed).as("the address itself was never counted").isTrue();
            assertThat(limiterKeys("default:sub:" + sha256(alice).substring(0, 32))).isEqualTo(1);
            assertThat(send(filter, request(address, "/api/ping", Map.of(), () -> "someone")).passed).isTrue();
            assertThat(send(filter, request(address, "/api/ping", Map.of())).status())
                    .as("a principal that is no token counted against the address: its second admission").isEqualTo(429);
        }
    }

    @Test
    void aKeyBoundToAPolicyThatIsNotConfiguredFailsTheStart() {
        Map<String, String> settings = settings();
        settings.put("larder.ratelimit.api-keys", sha256(PARTNER) + "=no-such-policy");
        try (RedisBreaker breaker = new RedisBreaker(() -> true, Duration.ofMinutes(10))) {
            assertThatThrownBy(() -> filter(settings, breaker)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no-such-policy");
        }
    }
}
