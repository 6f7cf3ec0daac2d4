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

    private static final Map<String, ToDoubleFunction<CacheStats>> GAUGES = Map.ofEntries(
            Map.entry("larder.cache.hits", CacheStats::hits),
            Map.entry("larder.cache.misses", CacheStats::misses),
            Map.entry("larder.cache.loads", CacheStats::loads),
            Map.entry("larder.cache.load.failures", CacheStats::loadFailures),
            Map.entry("larder.cache.load.average.millis", CacheStats::averageLoadMillis),
            Map.entry("larder.cache.puts", CacheStats::puts),
            Map.entry("larder.cache.removals", CacheStats::removals),
            Map.entry("larder.cache.near.hits", CacheStats::nearHits),
            Map.entry("larder.cache.remote.hits", CacheStats::remoteHits),
            Map.entry("larder.cache.lease.waits", CacheStats::leaseWaits),
            Map.entry("larder.cache.early.refreshes", CacheStats::earlyRefreshes),
            Map.entry("larder.cache.invalidations.received", CacheStats::invalidationsReceived));

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
