/**
 * JSR-107 caching annotations served from Redis.
 *
 * <p>Decisions: the annotation semantics live once in
 * {@link dev.larder.kit.caching.control.CacheEngine}, framework-neutral (a method, its arguments and
 * a way to run it), so that stampede protection and a near cache can be added in one place. Four
 * CDI interceptors adapt to it. Payara's own JSR-107 interceptors are bound to Hazelcast and cannot
 * be redirected; {@link dev.larder.kit.caching.control.CachingExtension} vetoes them, leaving exactly
 * one interception per call whatever flags the server started with. Caches are Redisson JCache
 * caches with a jittered per-entry TTL ({@code larder.caching.<cache>.ttl}, {@code .jitter}). A
 * versioned cache ({@code .versioned=true}) carries a namespace version inside its keys, so that
 * {@code @CacheRemoveAll} and {@code DELETE /api/caches/<name>} are one atomic bump: no {@code KEYS},
 * no mass {@code DEL}. Keys are readable strings built by
 * {@link dev.larder.kit.caching.control.CacheKeys} and only from simple types. Redis trouble never
 * fails a call: a read becomes a miss (the method runs), a write is skipped, and it is logged once.
 *
 * <p>Keys: {@code larder:cache:<cache>} (hash, one field per entry, each expiring after TTL ± jitter
 * through Redisson's {@code jcache_timeout_set:{larder:cache:<cache>}}), and
 * {@code larder:ns:<cache>} (version of a versioned cache, expires 4 × TTL + 1 h after its last bump,
 * and never goes back to a version in use).
 *
 * <p>Out of scope here (later work): single-flight loads across instances, early refresh, a
 * per-instance near cache, invalidation messages, cluster-wide statistics. Known gap: a slow loader
 * may still write a value older than a concurrent {@code @CachePut} on a non-versioned cache until
 * lease fencing lands.
 */
package dev.larder.kit.caching;
