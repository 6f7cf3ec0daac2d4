/**
 * JSR-107 caching annotations served from Redis.
 *
 * <p>Decisions: the annotation semantics live once in
 * {@link dev.larder.kit.caching.control.CacheEngine}, framework-neutral (a method, its arguments and
 * a way to run it), so that stampede protection and a near cache can be added in one place. Four
 * CDI interceptors adapt to it. {@link dev.larder.kit.caching.control.CachingExtension} makes the four
 * annotations interceptor bindings (every member non-binding), so the kit works on a server that does
 * not register them itself; Payara does, and a second registration is harmless. Payara's own JSR-107
 * interceptors are bound to Hazelcast and cannot be redirected; the extension vetoes them, leaving
 * exactly one interception per call whatever flags the server started with. Caches are Redisson JCache
 * caches with a jittered per-entry TTL ({@code larder.caching.<cache>.ttl}, {@code .jitter}). A
 * versioned cache ({@code .versioned=true}) carries a namespace version inside its keys, so that
 * {@code @CacheRemoveAll} and {@code DELETE /api/caches/<name>} are one atomic bump: no {@code KEYS},
 * no mass {@code DEL}; when the version cannot be read, the call bypasses the cache (loads, stores
 * nothing), so two keys never share a field. Keys are readable strings built by
 * {@link dev.larder.kit.caching.control.CacheKeys} and only from simple types. Redis trouble never
 * fails a call: behind the shared breaker a read becomes a miss (the method runs) and a write is
 * skipped; a codec error is counted, logged once per type, and a bad entry is replaced.
 *
 * <p>Stampedes: {@link dev.larder.kit.caching.control.SingleFlight} loads a missing key once across
 * all instances — one flight per key inside an instance, a lease ({@code SET NX PX} with a random
 * token) across instances; waiters poll Redis with backoff and never wait past {@code lease-wait};
 * a loader that throws releases its lease, one that dies lets it lapse. The fence: every writer and
 * invalidation deletes the lease in the same Lua script that changes the entry, and a loader stores
 * with one script that checks its token, stores and releases, so a slow loader's older value never
 * lands over a newer write (there is no window between the check and the store). The loader's caller
 * waits for that script's answer, so that when a {@code @CacheResult} miss returns, its value is in
 * Redis for every instance (a version that did not wait was tried for issue 10: no throughput gain
 * measurable on this machine, and a read of Redis right after the call found nothing).
 *
 * <p>Transactional invalidation: a {@code @CacheRemove} or {@code @CacheRemoveAll} that runs inside a
 * JTA transaction records the invalidation in the table {@code larder_cache_outbox} in that
 * transaction ({@link dev.larder.kit.caching.control.InvalidationOutbox}); right after the commit it
 * is carried out in Redis on the committing thread, and a row left over (Redis unavailable, the
 * instance cut off from Redis or dead after its commit) is carried out by the relay of any instance
 * that reaches both, every {@code larder.caching.outbox.interval} (500 ms) for rows older than
 * {@code larder.caching.outbox.grace} (1 s). The database is the source of truth for invalidations
 * too, so no single fault leaves a value older than the last commit in Redis for longer than that.
 * So the kit needs one JTA persistence unit from the application (any name, any data source; the
 * server's default data source will do): required rather than optional, because without it these
 * invalidations would lose their guarantee silently.
 * Outside a transaction the annotations act at once, as JSR-107 says.
 *
 * <p>After a failover: a new master may lack invalidations the old one acknowledged (asynchronous
 * replication, or a write to the old master after the promotion) and so hold values older than the
 * database. When {@link dev.larder.kit.redis.control.MasterWatch} sees a master that is another
 * process than before, {@link dev.larder.kit.caching.control.FailoverSweep} invalidates every cache
 * (a version bump, or a delete of each of the cache's hashes) while the breaker is still open, on every
 * instance that notices it, each clearing its near caches too; before that it breaks every loader's
 * lease ({@code larder:lease:*}, found with {@code SCAN}, once per change), since a lease taken before
 * the change may have outlived the writer's fence that was lost with the invalidation. Decision: invalidate everything rather than (a) keep relayed
 * outbox rows for a replication window and relay them again, or (c) {@code WAIT} for a replica before
 * forgetting a row. Both cover only the outbox's invalidations, not a version bump, a lease fence, or a
 * {@code @CacheRemove}/{@code @CachePut} outside a transaction, which a failover loses just as well;
 * (a) must guess how far replication may lag, and (c) costs a round trip plus the replica's lag per
 * relay, needs the {@code WAIT} on the connection that carried the invalidation (the relay's scripts go
 * through Redisson's pool) and a replica to exist. The price of invalidating everything is a cold cache
 * after each failover, loaded once per key by single flight; failovers are rare. Early refresh is XFetch: each entry carries its load time Δ
 * and expiry ({@link dev.larder.kit.redis.control.Stamped}); a hit refreshes when
 * {@code now − Δ·β·ln(rand) ≥ expiry}, under the lease, while everyone else keeps the current value.
 *
 * <p>Near cache: opt-in per cache, Caffeine, bounded by size and a TTL no longer than Redis's.
 * Every put, remove and invalidate-all is published on the sharded channel of the entry's slot
 * group ({@code larder:invalidations:{<tag>}}, {@link dev.larder.kit.caching.control.Slots}) with the
 * sender and a sequence per group (by the same script that changes the entry, {@code SPUBLISH});
 * receivers drop their copies, and clear everything when a number is still missing 1 s after a later
 * one arrived (publishes on different connections overtake each other, which is no loss). An
 * instance serves from its near cache only while it hears a heartbeat on every channel (each instance
 * offers one every 200 ms, published asynchronously and only when the channel had none for 150 ms, so
 * a channel carries ~5 a second whatever the number of instances) and the breaker is closed: 600 ms
 * without one, for any reason including a stalled Redis, clears and bypasses the near cache until
 * every channel is heard again. A value read from Redis is kept near only if no invalidation arrived during the read.
 * Propagation bound on a healthy loopback: 100 ms.
 *
 * <p>Redis Cluster: the 16,384 slots are cut into {@code larder.caching.slot-groups} (12) equal ranges
 * with a home slot in the middle of each; a cache is one Redisson JCache cache per group, whose name
 * hashes to the group's home slot, so its entries spread over every master (exactly evenly with a
 * multiple of the masters as groups), while an entry, its expiry index, its lease and its group's
 * channel share one slot and every script stays single-slot. Requires Redis 7 (sharded pub/sub).
 *
 * <p>Keys: {@code larder:cache:<cache>:<suffix>} (hash per slot group, one field per entry, each
 * expiring after TTL ± jitter through Redisson's {@code jcache_timeout_set:{larder:cache:<cache>:<suffix>}}),
 * {@code larder:ns:<cache>} (version of a versioned cache, expires 4 × TTL + 1 h after its last bump,
 * and never goes back to a version in use), {@code larder:lease:{larder:cache:<cache>:<suffix>}:<field>} (loader
 * lease, in the entry's hash slot, expires after {@code lease-ttl}, deleted by its loader or any
 * writer), {@code larder:{stats}:<instance>} (hash of one instance's counters, fields
 * {@code <cache>|<counter>}, rewritten every {@code larder.caching.stats.interval} (1 s), expires after
 * three intervals, deleted by its instance on a clean stop) and {@code larder:{stats}:instances} (sorted
 * set of publishing instances scored by their hash's expiry, by Redis's clock; trimmed by every
 * publisher, expires with the last of them), {@code larder:bus:{<tag>}:beat} (a channel's recent heartbeat,
 * 150 ms). Channels: {@code larder:invalidations:{<tag>}} (sharded, one per slot group). Table:
 * {@code larder_cache_outbox} (rows deleted once relayed).
 *
 * <p>Statistics: each instance counts its own ({@code CacheStatistics}); {@code GET /api/caches} adds,
 * per cache, {@code cluster}: the same counters summed over this instance's live ones and every other
 * instance's last published ones, plus {@code instances} (see
 * {@link dev.larder.kit.caching.control.ClusterStatistics}). An instance that died drops out within
 * three intervals; with Redis unavailable {@code cluster} is absent. At {@code /metrics} the same
 * counters are MicroProfile counters ({@code larder_cache_<counter>_total{cache=...}}, following the
 * live counts within a second) and each cache's load time is the timer
 * {@code larder_cache_load_seconds{cache=...}}.
 *
 * <p>Strategies: cache-aside through the annotations; read-through and JCache-level write-through
 * through {@link dev.larder.kit.caching.control.ReadThrough} (a {@code CacheLoader} and optionally a
 * {@code CacheWriter}, same engine, same guarantees; a write invalidates rather than stores); the
 * shop's order lookup is read-through. Its class comment says when to choose which.
 *
 * <p>Known limit: {@code @CachePut}
 * outside a transaction is an unconditional write-through, as JSR-107 defines it, so two puts of one
 * key on two instances may land in either order; the shop invalidates instead.
 */
package dev.larder.kit.caching;
