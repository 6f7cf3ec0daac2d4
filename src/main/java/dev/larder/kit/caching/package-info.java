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
 * <p>Stampedes: {@link dev.larder.kit.caching.control.SingleFlight} loads a missing key once across
 * all instances — one flight per key inside an instance, a lease ({@code SET NX PX} with a random
 * token) across instances; waiters poll Redis with backoff and never wait past {@code lease-wait};
 * a loader that throws releases its lease, one that dies lets it lapse. The fence: a writer deletes
 * the lease, a loader stores only if its token still holds and then only with
 * {@code putIfAbsent} (an early refresh with {@code replace(old, new)}), so a slow loader's older
 * value never lands over a newer write. Early refresh is XFetch: each entry carries its load time Δ
 * and expiry ({@link dev.larder.kit.redis.control.Stamped}); a hit refreshes when
 * {@code now − Δ·β·ln(rand) ≥ expiry}, under the lease, while everyone else keeps the current value.
 *
 * <p>Near cache: opt-in per cache, Caffeine, bounded by size and a TTL no longer than Redis's.
 * Every put, remove and invalidate-all is published on {@code larder:invalidations} with the
 * sender and a sequence; receivers drop their copies, and clear everything on a sequence gap. An
 * instance serves from its near cache only while it hears its own probes (every 200 ms) on that
 * channel: a lost connection or subscription clears and bypasses the near cache until the channel
 * is back. A value read from Redis is kept near only if no invalidation arrived during the read.
 * Propagation bound on a healthy loopback: 100 ms.
 *
 * <p>Keys: {@code larder:cache:<cache>} (hash, one field per entry, each expiring after TTL ± jitter
 * through Redisson's {@code jcache_timeout_set:{larder:cache:<cache>}}),
 * {@code larder:ns:<cache>} (version of a versioned cache, expires 4 × TTL + 1 h after its last bump,
 * and never goes back to a version in use), {@code larder:lease:<cache>:<field>} (loader lease,
 * expires after {@code lease-ttl}). Channel: {@code larder:invalidations}.
 *
 * <p>Out of scope: cluster-wide statistics (each instance counts its own). Known limit: the fence
 * check and the store are two round trips, so a remove landing exactly between them (well under a
 * millisecond on loopback) can still let a loaded value in; it then lives until its TTL.
 */
package dev.larder.kit.caching;
