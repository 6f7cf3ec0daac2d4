package dev.larder.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A black-box client of one Larder instance. Product and cache writes carry an {@code admin} bearer
 * token ({@link Tokens#admin()}) unless the request names its own {@code Authorization} header or the
 * client is {@link #anonymous()}; nothing else sends one.
 */
public final class Api {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String base;
    private final String root;
    private final boolean adminOnWrites;

    /**
     * @param base where the application is deployed, e.g. {@code http://127.0.0.1:8080/} or
     *             {@code http://127.0.0.1:8080/larder/}: {@code /api} paths go there, while
     *             {@code /health}, {@code /metrics} and {@code /openapi} always go to the server's root
     */
    public Api(String base) {
        URI uri = URI.create(base);
        // Always loopback: Arquillian reports the machine's interface address, the tests stay on 127.0.0.1.
        this.root = uri.getScheme() + "://127.0.0.1:" + uri.getPort();
        String path = uri.getPath().endsWith("/") ? uri.getPath().substring(0, uri.getPath().length() - 1) : uri.getPath();
        this.base = root + path;
        this.adminOnWrites = true;
    }

    private Api(String root, String base, boolean adminOnWrites) {
        this.root = root;
        this.base = base;
        this.adminOnWrites = adminOnWrites;
    }

    /** The same instance, without the admin token on writes: only the headers a request names. */
    public Api anonymous() {
        return new Api(root, base, false);
    }

    /** The absolute URL of an {@code /api} path on this instance. */
    public String url(String path) {
        return base + path;
    }

    public HttpResponse<String> get(String path) {
        return send("GET", path, null, null);
    }

    public HttpResponse<String> send(String method, String path, String contentType, String body) {
        return request(method, path, contentType == null ? Map.of() : Map.of("Content-Type", contentType), body);
    }

    public HttpResponse<String> request(String method, String path, Map<String, String> headers) {
        return request(method, path, headers, null);
    }

    public HttpResponse<String> request(String method, String path, Map<String, String> headers, String body) {
        return request(method, path, List.copyOf(headers.entrySet()), body);
    }

    /** A request with headers that may repeat, in the order given. */
    public HttpResponse<String> request(String method, String path, List<Map.Entry<String, String>> headers, String body) {
        String target = (path.startsWith("/health") || path.startsWith("/metrics") || path.startsWith("/openapi") ? root : base) + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(20));
        headers.forEach(h -> request.header(h.getKey(), h.getValue()));
        if (adminOnWrites && needsAdmin(method, path) && headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("Authorization"))) {
            request.header("Authorization", "Bearer " + Tokens.admin());
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean needsAdmin(String method, String path) {
        return !SAFE_METHODS.contains(method) && (path.startsWith("/api/products") || path.startsWith("/api/caches") || path.startsWith("/api/categories"));
    }

    public HttpResponse<String> json(String method, String path, String body) {
        return send(method, path, "application/json", body);
    }

    public JsonNode getJson(String path) {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    /** One counter of this instance's cache statistics ({@code GET /api/caches}). */
    public long cacheStat(String cache, String field) {
        return cacheEntry(cache).path(field).asLong();
    }

    /** One cache's entry of {@code GET /api/caches}: this instance's counters and, in {@code cluster}, every live instance's. */
    public JsonNode cacheEntry(String cache) {
        for (JsonNode entry : getJson("/api/caches")) {
            if (entry.path("name").asText().equals(cache)) {
                return entry;
            }
        }
        throw new AssertionError("no cache " + cache + " in /api/caches");
    }

    /** The breaker's count of outages (Redis found unavailable) at {@code /metrics}. */
    public static final String OUTAGES = "larder_redis_breaker_opened_total";

    /** A value from {@code /metrics} (Prometheus text); fails if the series is not there. */
    public double requiredMetric(String name) {
        return series(name).orElseThrow(() -> new AssertionError("no series " + name + " at " + url("/metrics")));
    }

    /** Waits until this instance's breaker has stayed closed for {@code quiet} (fails after {@code timeout}). */
    public Api awaitRedisSteady(Duration quiet, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        double outages = requiredMetric(OUTAGES);
        Instant quietSince = Instant.now();
        while (Instant.now().isBefore(deadline)) {
            double now = requiredMetric(OUTAGES);
            if (now != outages || requiredMetric("larder_redis_breaker_open") != 0) {
                outages = now;
                quietSince = Instant.now();
            } else if (Duration.between(quietSince, Instant.now()).compareTo(quiet) >= 0) {
                return this;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Redis did not stay available to " + url("/") + " for " + quiet + " within " + timeout);
    }

    /** A value from {@code /metrics} (Prometheus text), 0 if the series is not there yet. */
    public double metric(String name) {
        return series(name).orElse(0);
    }

    private java.util.OptionalDouble series(String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(get("/metrics").body());
        return m.find() ? java.util.OptionalDouble.of(Double.parseDouble(m.group(2))) : java.util.OptionalDouble.empty();
    }

    /**
     * Waits (at most {@code timeout}) until {@code /health/ready} answers 200: after a test restarted
     * Redis, the shared breaker closes within a probe interval, and until then callers get their
     * fallbacks (the rate limiter fails open, for one).
     */
    public Api awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (get("/health/ready").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not ready after " + timeout + ": " + get("/health/ready").body());
            }
            Thread.sleep(50);
        }
        return this;
    }

    public static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
