package dev.larder.kit.caching.boundary;

import dev.larder.kit.caching.control.CacheRegistry;
import dev.larder.kit.caching.control.CacheStatistics;
import dev.larder.kit.caching.control.CacheStats;
import dev.larder.kit.caching.control.NamedCache;
import dev.larder.kit.metrics.control.MirroredCounters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Publishes every declared cache's counters at {@code /metrics} as counters tagged {@code cache}
 * (e.g. {@code larder_cache_hits_total{cache="products"}}), and the time of its loads as the timer
 * {@code larder_cache_load_seconds{cache=...}}. The counters follow {@link CacheStatistics} within a
 * second ({@link MirroredCounters}); the timer is updated by each load.
 */
@ApplicationScoped
public class CacheMetrics {

    record Count(String name, String description, ToLongFunction<CacheStats> value) {
    }

    static final List<Count> COUNTS = List.of(
            new Count("larder.cache.hits", "Reads answered by the cache: the response tier, near or Redis (responseHits + nearHits + remoteHits)", CacheStats::hits),
            new Count("larder.cache.misses", "Reads the cache could not answer", CacheStats::misses),
            new Count("larder.cache.loads", "Loader runs (database reads) caused by misses and early refreshes", CacheStats::loads),
            new Count("larder.cache.load.failures", "Loader runs that threw", CacheStats::loadFailures),
            new Count("larder.cache.puts", "Values stored in Redis (loads and write-throughs)", CacheStats::puts),
            new Count("larder.cache.removals", "Entries removed from Redis by this instance", CacheStats::removals),
            new Count("larder.cache.near.hits", "Reads answered by this instance's near cache", CacheStats::nearHits),
            new Count("larder.cache.remote.hits", "Reads answered by Redis", CacheStats::remoteHits),
            new Count("larder.cache.response.hits", "Requests answered by the response tier before JAX-RS", CacheStats::responseHits),
            new Count("larder.cache.lease.waits", "Callers that waited for another caller's load of the same entry", CacheStats::leaseWaits),
            new Count("larder.cache.early.refreshes", "Entries refreshed before expiry by XFetch", CacheStats::earlyRefreshes),
            new Count("larder.cache.invalidations.received", "Invalidations heard from other instances", CacheStats::invalidationsReceived));

    static final Metadata LOAD_TIME = Metadata.builder().withName("larder.cache.load")
            .withDescription("Time of each successful loader run (the database read behind a miss or refresh)")
            .withUnit(MetricUnits.NANOSECONDS).build();

    @Inject
    CacheRegistry registry;

    @Inject
    MetricRegistry metrics;

    @Inject
    MirroredCounters counters;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        registry.all().forEach(this::register);
    }

    private void register(NamedCache cache) {
        Tag tag = new Tag("cache", cache.name());
        COUNTS.forEach(count -> counters.mirror(count.name(), count.description(),
                () -> count.value().applyAsLong(cache.stats()), tag));
        Timer loads = metrics.timer(LOAD_TIME, tag);
        CacheStatistics.of(cache).whenLoaded(nanos -> loads.update(Duration.ofNanos(nanos)));
    }
}
