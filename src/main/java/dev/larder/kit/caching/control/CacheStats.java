package dev.larder.kit.caching.control;

/**
 * One cache's counters as {@code GET /api/caches} shows them. {@code hits} counts every hit
 * ({@code nearHits + remoteHits}); {@code loads} counts loader runs caused by misses. Fields of
 * tiers this version does not have (near cache, leases, early refresh, invalidation messages) are 0.
 */
public record CacheStats(String name, long hits, long misses, long loads, long loadFailures,
                         double averageLoadMillis, long puts, long removals, long evictions,
                         long nearHits, long remoteHits, long leaseWaits, long earlyRefreshes,
                         long invalidationsReceived) {
}
