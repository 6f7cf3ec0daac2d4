package dev.larder.kit.redis.boundary;

import dev.larder.kit.metrics.control.MirroredCounters;
import dev.larder.kit.redis.control.RedisBreaker;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The breaker in front of Redis at {@code /metrics}: the gauge {@code larder_redis_breaker_open} (1
 * while Redis is considered unavailable), the counters {@code larder_redis_breaker_opened_total}
 * (outages since start), {@code larder_redis_short_circuits_total} (calls answered by their fallback
 * without Redis) and {@code larder_redis_command_errors_total} (commands Redis refused: bugs, not
 * outages), and the timer {@code larder_redis_call_seconds{call=...}}: how long each call that
 * reached Redis took, by what it was for (the breaker's action, such as {@code read products}; at most
 * {@value #MAX_CALL_KINDS} kinds, the rest under {@code other}).
 */
@ApplicationScoped
public class RedisMetrics implements RedisBreaker.CallTimes {

    static final int MAX_CALL_KINDS = 200;
    static final Metadata CALL_TIME = Metadata.builder().withName("larder.redis.call")
            .withDescription("Time of each Redis call made through the breaker (answered, failed or released when it opened), by call kind")
            .withUnit(MetricUnits.NANOSECONDS).build();

    @Inject
    RedisBreaker breaker;

    @Inject
    MetricRegistry metrics;

    @Inject
    MirroredCounters counters;

    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
    private Timer other;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        metrics.gauge(Metadata.builder().withName("larder.redis.breaker.open")
                .withDescription("1 while Redis is considered unavailable (breaker open), else 0")
                .withUnit(MetricUnits.NONE).build(), breaker, b -> b.closed() ? 0 : 1);
        // counted as it happens, not mirrored once a second: an outage is rare, and operators and tests
        // that watch for one must see it at once
        org.eclipse.microprofile.metrics.Counter opened = metrics.counter(MirroredCounters.count(
                "larder.redis.breaker.opened", "Times the Redis breaker opened (outages) since start"));
        breaker.whenOpened(opened::inc);
        opened.inc(breaker.timesOpened()); // outages before this registration (at most one may count twice)
        counters.mirror("larder.redis.short.circuits", "Redis calls answered by their fallback without reaching Redis",
                breaker::shortCircuits);
        counters.mirror("larder.redis.command.errors", "Commands Redis refused (script errors and the like: bugs, not outages)",
                breaker::commandErrors);
        other = metrics.timer(CALL_TIME, new Tag("call", "other"));
        breaker.timeCallsWith(this);
    }

    @PreDestroy
    void stop() {
        breaker.timeCallsWith(null);
    }

    @Override
    public void record(String action, long nanos) {
        Timer timer = timers.get(action);
        if (timer == null) {
            timer = timers.size() < MAX_CALL_KINDS ? timers.computeIfAbsent(action, this::timer) : other;
        }
        timer.update(Duration.ofNanos(nanos));
    }

    private Timer timer(String action) {
        return metrics.timer(CALL_TIME, new Tag("call", action));
    }
}
