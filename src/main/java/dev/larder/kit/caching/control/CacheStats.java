package dev.larder.kit.caching.control;

/**
 * One cache's counters on this instance, as {@code GET /api/caches} shows them. {@code hits} counts
 * every hit ({@code nearHits + remoteHits + responseHits}); {@code loads} counts loader runs (misses that loaded,
 * and early refreshes); {@code leaseWaits} counts callers that waited for another's load;
 * {@code earlyRefreshes} counts XFetch refreshes; {@code invalidationsReceived} counts messages
 * from other instances; {@code responseHits} counts requests the response tier answered before JAX-RS
 * (answers kept beside near entries: a hit that did not even reach the near cache). {@code evictions} happen inside Redis and are not counted (0).
 */
public record CacheStats(String name, long hits, long misses, long loads, long loadFailures,
                         double averageLoadMillis, long puts, long removals, long evictions,
                         long nearHits, long remoteHits, long leaseWaits, long earlyRefreshes,
                         long invalidationsReceived, long responseHits) {
}
