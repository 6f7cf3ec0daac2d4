package dev.larder.kit.ratelimiting.boundary;

import dev.larder.kit.ratelimiting.control.ClientKeys;
import dev.larder.kit.ratelimiting.control.Policies;
import dev.larder.kit.ratelimiting.control.Policy;
import dev.larder.kit.ratelimiting.control.RateLimiter;
import dev.larder.kit.ratelimiting.control.RateLimiter.Decision;
import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.kit.rest.boundary.Problem;
import dev.larder.kit.rest.boundary.Problems;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.jwt.JsonWebToken;
import dev.larder.kit.metrics.control.MirroredCounters;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.redisson.api.RedissonClient;

/**
 * Rate limiting for every request of the application (mapped in {@code web.xml}, before sessions):
 * finds the policy of the route and the client (a known API key, the verified token's subject, or
 * the address: {@link ClientKeys}), asks {@link RateLimiter} in Redis, and answers 429 problem+json
 * with {@code Retry-After} when the client is over it. A busy client is mostly decided from a lease
 * of permits this instance holds, without Redis ({@code larder_ratelimit_leased_total}). Every limited answer carries the IETF
 * {@code RateLimit-Policy} and {@code RateLimit} fields. With Redis unreachable it lets requests
 * through ({@code larder.ratelimit.fail-open=true}, the default) or answers 503; each such request
 * is counted in {@code larder_ratelimit_unavailable_total}; the shared breaker logs the outage once
 * and, while it is open, answers without waiting for Redis. {@code larder_ratelimit_calls_total}
 * counts script calls (concurrent decisions for one client share one) and
 * {@code larder_ratelimit_remembered_total} the refusals answered from memory, without Redis.
 */
public class RateLimitFilter extends HttpFilter {

    @Inject
    RedissonClient redisson;

    @Inject
    RedisBreaker breaker;

    @Inject
    Config config;

    @Inject
    MetricRegistry metrics;

    private boolean enabled;
    private boolean failOpen;
    private Policies policies;
    private ClientKeys clients;
    private RateLimiter limiter;
    private Counter unavailable;

    @Inject
    MirroredCounters mirrored;

    @Override
    public void init() {
        enabled = config.getOptionalValue("larder.ratelimit.enabled", Boolean.class).orElse(true);
        failOpen = config.getOptionalValue("larder.ratelimit.fail-open", Boolean.class).orElse(true);
        policies = Policies.of(key -> config.getOptionalValue(key, String.class));
        clients = new ClientKeys(config.getOptionalValue("larder.ratelimit.trusted-proxies", String.class).orElse(""),
                config.getOptionalValue("larder.ratelimit.api-keys", String.class).orElse(""),
                ClientKeys.UnknownKeys.valueOf(config.getOptionalValue("larder.ratelimit.unknown-api-keys", String.class)
                        .orElse("ignore").strip().toUpperCase(java.util.Locale.ROOT)));
        clients.boundPolicies().forEach(name -> policies.named(name).orElseThrow(() -> new IllegalArgumentException(
                "larder.ratelimit.api-keys binds a key to policy '" + name + "', which is not configured")));
        limiter = new RateLimiter(redisson);
        unavailable = metrics.counter(MirroredCounters.count("larder.ratelimit.unavailable",
                "Requests the rate limiter could not decide because Redis was unavailable (let through or refused, as configured)"));
        mirrored.mirror("larder.ratelimit.calls", "Rate-limit script calls (concurrent decisions for one client share one; a busy client takes a lease of permits and gives back what it did not use)",
                limiter::calls);
        mirrored.mirror("larder.ratelimit.leased", "Requests admitted from a lease of permits this instance holds, without Redis",
                limiter::admittedFromLeases);
        mirrored.mirror("larder.ratelimit.remembered", "Requests refused from memory, without Redis, because their client is at its limit until its reset",
                limiter::refusedFromMemory);
    }

    /** Gives back the permits this instance holds in leases, so that other instances can admit them at once. */
    @Override
    public void destroy() {
        if (limiter != null) {
            limiter.close();
        }
    }

    /**
     * The subject of the caller's bearer token, which the server has verified before any filter runs
     * (MP-JWT authenticates every request that carries a token, anonymous routes included, and refuses
     * a bad token with 401 before the filters); null for a request without one.
     */
    private static String subject(HttpServletRequest request) {
        return request.getUserPrincipal() instanceof JsonWebToken token ? token.getSubject() : null;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!enabled) {
            chain.doFilter(request, response);
            return;
        }
        // decoded and normalised by the container, so "/api/%70roducts" cannot dodge a route policy
        String pathInfo = request.getPathInfo();
        String path = pathInfo == null ? request.getServletPath() : request.getServletPath() + pathInfo;
        Optional<Policy> route = policies.forRequest(request.getMethod(), path);
        if (route.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        ClientKeys.Client client = clients.identify(request.getRemoteAddr(), request.getHeader("X-API-Key"),
                request.getHeader("X-Forwarded-For"), subject(request));
        if (client.rejected()) {
            response.setHeader("WWW-Authenticate", "ApiKey header=\"X-API-Key\"");
            Problems.write(response, new Problem(401, "Unauthorized", "Unknown API key in X-API-Key"));
            return;
        }
        Optional<Policy> policy = client.policy().flatMap(policies::named).or(() -> route);
        Decision decision = limiter.decideLocally(policy.get(), client.id());
        if (decision == null) {
            decision = breaker.callAsync("decide a rate limit", () -> limiter.decideRemotely(policy.get(), client.id()), null);
        }
        if (decision == null) {
            unavailable.inc();
            if (failOpen) {
                chain.doFilter(request, response);
            } else {
                Problems.write(response, new Problem(503, "Service Unavailable", "Rate limiting is unavailable; try again shortly"));
            }
            return;
        }
        response.setHeader("RateLimit-Policy", policy.get().header());
        response.setHeader("RateLimit", decision.header());
        if (decision.allowed()) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Retry-After", String.valueOf(decision.resetSeconds()));
        Problems.write(response, new Problem(429, "Too Many Requests", "Over the '" + policy.get().name()
                + "' limit of " + policy.get().limit() + " requests per " + policy.get().window().toSeconds()
                + " s; retry after " + decision.resetSeconds() + " s"));
    }
}
