package dev.larder.kit.sessions.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.larder.kit.redis.control.CodecErrors;
import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.testing.RecordedResponse;
import dev.larder.testing.RedisServer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * The filter around a plain servlet (not JAX-RS) on a real redis-server: paused between reading the
 * session and opening the body, the servlet's answer becomes a complete 503 problem+json; a session
 * value the codec refuses makes it a 500 problem+json, and Redis stays in use.
 */
class SessionFilterTest {

    @Test
    void redisFailingWhenTheServletOpensTheBodyAnswers503ProblemJson() throws Exception {
        try (RedisServer redis = RedisServer.start(); RedisBreaker breaker = new RedisBreaker(() -> true, Duration.ofMinutes(10))) {
            RedissonClient client = redis.client("dev.larder.", "java.lang.");
            try {
                SessionFilter filter = filter(client, breaker, new CodecErrors());
                RecordedResponse recorded = new RecordedResponse();

                filter.doFilter(request(), recorded.response, (req, res) -> {
                    ((HttpServletRequest) req).getSession().setAttribute("cart:1", 1);
                    HttpServletResponse servlet = (HttpServletResponse) res;
                    servlet.setStatus(201);
                    servlet.setHeader("Location", "/somewhere");
                    freeze(redis, true);
                    try {
                        servlet.getOutputStream().write("{\"created\":true}".getBytes(StandardCharsets.UTF_8));
                    } finally {
                        freeze(redis, false);
                    }
                });

                assertThat(recorded.status).isEqualTo(503);
                assertThat(recorded.contentType).isEqualTo("application/problem+json");
                assertThat(recorded.headers).doesNotContainKey("Location");
                JsonNode problem = recorded.json();
                assertThat(problem.path("status").asInt()).isEqualTo(503);
                assertThat(problem.path("detail").asText()).contains("Sessions are unavailable");
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void aValueTheCodecRefusesAnswers500ProblemJsonAndIsCountedNotTakenForAnOutage() throws Exception {
        try (RedisServer redis = RedisServer.start(); RedisBreaker breaker = new RedisBreaker(() -> true, Duration.ofMinutes(10))) {
            RedissonClient client = redis.client("dev.larder.", "java.lang.");
            try {
                CodecErrors codecErrors = new CodecErrors();
                SessionFilter filter = filter(client, breaker, codecErrors);
                RecordedResponse recorded = new RecordedResponse();

                filter.doFilter(request(), recorded.response, (req, res) -> {
                    ((HttpServletRequest) req).getSession().setAttribute("lines", java.util.List.of(1, 2)); // immutable: off the allow-list
                    HttpServletResponse servlet = (HttpServletResponse) res;
                    servlet.setStatus(201);
                    servlet.setHeader("Location", "/somewhere");
                    servlet.getOutputStream().write("{\"created\":true}".getBytes(StandardCharsets.UTF_8));
                });

                assertThat(recorded.status).isEqualTo(500);
                assertThat(recorded.contentType).isEqualTo("application/problem+json");
                assertThat(recorded.headers).doesNotContainKey("Location");
                JsonNode problem = recorded.json();
                assertThat(problem.path("status").asInt()).isEqualTo(500);
                assertThat(problem.path("detail").asText()).contains("could not be saved").doesNotContain("ImmutableCollections");
                assertThat(codecErrors.total()).isEqualTo(1);
                assertThat(breaker.closed()).isTrue();
                assertThat(breaker.timesOpened()).isZero();
            } finally {
                client.shutdown();
            }
        }
    }

    private SessionFilter filter(RedissonClient client, RedisBreaker breaker, CodecErrors codecErrors) {
        SessionFilter filter = new SessionFilter();
        filter.redisson = client;
        filter.breaker = breaker;
        filter.codecErrors = codecErrors;
        filter.config = (Config) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Config.class},
                (proxy, method, args) -> Optional.empty());
        filter.init();
        return filter;
    }

    /** A request without a session cookie, that keeps its attributes. */
    private HttpServletRequest request() {
        Map<String, Object> attributes = new HashMap<>();
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getContextPath" -> "";
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "getAttribute" -> attributes.get((String) args[0]);
                    default -> null;
                });
    }

    private static void freeze(RedisServer redis, boolean frozen) throws java.io.IOException {
        try {
            if (frozen) {
                redis.pause();
            } else {
                redis.resume();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException(e);
        }
    }
}
