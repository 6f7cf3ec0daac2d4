package dev.larder.kit.caching.control;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One cache's counters on this instance, as {@code GET /api/caches} shows them. {@code hits} counts
 * every hit ({@code nearHits + remoteHits + responseHits}); {@code loads} counts loader runs (misses that loaded,
 * and early refreshes); {@code leaseWaits} counts callers that waited for another's load;
 * {@code earlyRefreshes} counts XFetch refreshes; {@code invalidationsReceived} counts messages
 * from other instances; {@code responseHits} counts requests the response tier answered before JAX-RS
 * (answers kept beside near entries: a hit that did not even reach the near cache). {@code evictions}
 * happen inside Redis and are not counted (0). {@code cluster}, when present, holds the same counters
 * summed over every live instance ({@link ClusterStatistics}); it is absent when Redis cannot say.
 */
public record CacheStats(String name, long hits, long misses, long loads, long loadFailures,
                         double averageLoadMillis, long puts, long removals, long evictions,
                         long nearHits, long remoteHits, long leaseWaits, long earlyRefreshes,
                         long invalidationsReceived, long responseHits,
                         @JsonInclude(JsonInclude.Include.NON_NULL) ClusterStats cluster) {

    /** This instance's counters alone. */
    public CacheStats(String name, long hits, long misses, long loads, long loadFailures,
                      double averageLoadMillis, long puts, long removals, long evictions,
                      long nearHits, long remoteHits, long leaseWaits, long earlyRefreshes,
                      long invalidationsReceived, long responseHits) {
        this(name, hits, misses, loads, loadFailures, averageLoadMillis, puts, removals, evictions, nearHits, remoteHits,
                leaseWaits, earlyRefreshes, invalidationsReceived, responseHits, null);
    }

    /** The same counters, with the sums over every live instance (null: unknown). */
    public CacheStats withCluster(ClusterStats sums) {
        return new CacheStats(name, hits, misses, loads, loadFailures, averageLoadMillis, puts, removals, evictions,
                nearHits, remoteHits, leaseWaits, earlyRefreshes, invalidationsReceived, responseHits, sums);
    }
}
