package dev.larder.kit.redis.boundary;

import dev.larder.kit.redis.control.RedisBreaker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The breaker in front of Redis at {@code /metrics}: {@code larder_redis_breaker_open} (1 while
 * Redis is considered unavailable), {@code larder_redis_breaker_opened_total} (outages since start)
 * {@code larder_redis_short_circuits_total} (calls answered by their fallback without Redis) and
 * {@code larder_redis_command_errors_total} (commands Redis refused: bugs, not outages).
 */
@ApplicationScoped
public class RedisMetrics {

    @Inject
    RedisBreaker breaker;

    @Inject
    MetricRegistry metrics;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        metrics.gauge("larder.redis.breaker.open", breaker, b -> b.closed() ? 0 : 1);
        metrics.gauge("larder.redis.breaker.opened.total", breaker, RedisBreaker::timesOpened);
        metrics.gauge("larder.redis.short.circuits.total", breaker, RedisBreaker::shortCircuits);
        metrics.gauge("larder.redis.command.errors.total", breaker, RedisBreaker::commandErrors);
    }
}
