package dev.larder.kit.caching.control;

import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * One cache's counters summed over every live instance: the fields of {@link CacheStats} (without
 * the name) plus {@code instances}, how many instances the sums cover. {@code averageLoadMillis} is
 * the load-weighted mean of theirs.
 */
public record ClusterStats(int instances, long hits, long misses, long loads, long loadFailures,
                           double averageLoadMillis, long puts, long removals, long evictions,
                           long nearHits, long remoteHits, long leaseWaits, long earlyRefreshes,
                           long invalidationsReceived, long responseHits) {

    /** The counters an instance publishes, by the names they have in Redis. */
    static final Map<String, ToLongFunction<CacheStats>> COUNTERS = Map.ofEntries(
            Map.entry("hits", CacheStats::hits),
            Map.entry("misses", CacheStats::misses),
            Map.entry("loads", CacheStats::loads),
            Map.entry("loadFailures", CacheStats::loadFailures),
            Map.entry("loadMicros", s -> Math.round(s.averageLoadMillis() * 1000 * s.loads())),
            Map.entry("puts", CacheStats::puts),
            Map.entry("removals", CacheStats::removals),
            Map.entry("evictions", CacheStats::evictions),
            Map.entry("nearHits", CacheStats::nearHits),
            Map.entry("remoteHits", CacheStats::remoteHits),
            Map.entry("leaseWaits", CacheStats::leaseWaits),
            Map.entry("earlyRefreshes", CacheStats::earlyRefreshes),
            Map.entry("invalidationsReceived", CacheStats::invalidationsReceived),
            Map.entry("responseHits", CacheStats::responseHits));

    static final List<String> NAMES = List.copyOf(COUNTERS.keySet());

    /** Sums from counters by name. */
    static ClusterStats of(int instances, Map<String, Long> sums) {
        long loads = sums.getOrDefault("loads", 0L);
        double averageLoadMillis = loads == 0 ? 0 : Math.round(sums.getOrDefault("loadMicros", 0L) / (double) loads) / 1000.0;
        return new ClusterStats(instances, sums.getOrDefault("hits", 0L), sums.getOrDefault("misses", 0L), loads,
                sums.getOrDefault("loadFailures", 0L), averageLoadMillis, sums.getOrDefault("puts", 0L),
                sums.getOrDefault("removals", 0L), sums.getOrDefault("evictions", 0L), sums.getOrDefault("nearHits", 0L),
                sums.getOrDefault("remoteHits", 0L), sums.getOrDefault("leaseWaits", 0L),
                sums.getOrDefault("earlyRefreshes", 0L), sums.getOrDefault("invalidationsReceived", 0L),
                sums.getOrDefault("responseHits", 0L));
    }
}
