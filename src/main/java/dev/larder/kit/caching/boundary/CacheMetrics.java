package dev.larder.kit.caching.boundary;

import dev.larder.kit.caching.control.CacheRegistry;
import dev.larder.kit.caching.control.CacheStats;
import dev.larder.kit.caching.control.NamedCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Publishes every declared cache's counters as MicroProfile Metrics gauges tagged {@code cache},
 * e.g. {@code larder_cache_hits{cache="products"}} at {@code /metrics}.
 */
@ApplicationScoped
public class CacheMetrics {

    private static final Map<String, ToDoubleFunction<CacheStats>> GAUGES = Map.of(
            "larder.cache.hits", CacheStats::hits,
            "larder.cache.misses", CacheStats::misses,
            "larder.cache.loads", CacheStats::loads,
            "larder.cache.load.failures", CacheStats::loadFailures,
            "larder.cache.load.average.millis", CacheStats::averageLoadMillis,
            "larder.cache.puts", CacheStats::puts,
            "larder.cache.removals", CacheStats::removals);

    @Inject
    CacheRegistry registry;

    @Inject
    MetricRegistry metrics;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        registry.all().forEach(this::register);
    }

    private void register(NamedCache cache) {
        Tag tag = new Tag("cache", cache.name());
        GAUGES.forEach((name, value) -> metrics.gauge(name, cache, c -> value.applyAsDouble(c.stats()), tag));
    }
}
