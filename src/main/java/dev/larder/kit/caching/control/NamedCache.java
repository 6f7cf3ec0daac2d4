package dev.larder.kit.caching.control;

import dev.larder.kit.redis.control.CodecErrors;
import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.kit.redis.control.RedisFailures;
import dev.larder.kit.redis.control.Stamped;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One named cache: an optional near cache, its entries and leases in Redis ({@link CacheStore}), its
 * counters and, when versioned, its namespace version. Every Redis call goes through the shared
 * {@link RedisBreaker}: with Redis unavailable a read is a miss, a lease is not taken and a store is
 * skipped, at once once the breaker is open. A value that cannot go through the codec is a bug, not an
 * outage: it is counted and logged once per type ({@link CodecErrors}), a bad entry is deleted so
 * that the next load replaces it, and no near cache is cleared for it.
 */
public class NamedCache {

    /** The lease "token" of a caller that could not reach Redis: it loads, and stores nothing. */
    static final String NO_REDIS = "no-redis";

    private final String name;
    private final CacheSettings settings;
    private final CacheStore store;
    private final Optional<NamespaceVersion> version;
    private final Optional<NearCache> near;
    private final JitteredExpiry expiry;
    private final InvalidationBus bus;
    private final RedisBreaker breaker;
    private final CodecErrors codecErrors;
    final CacheStatistics statistics = new CacheStatistics();
    /** Counts every change or invalidation this instance made or heard of, for {@link SingleFlight}. */
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

    NamedCache(String name, CacheSettings settings, CacheStore store, Optional<NamespaceVersion> version,
               JitteredExpiry expiry, InvalidationBus bus, RedisBreaker breaker, CodecErrors codecErrors) {
        this.name = name;
        this.settings = settings;
        this.store = store;
        this.version = version;
        this.near = settings.near() ? Optional.of(new NearCache(settings.nearMaxSize(), settings.nearTtl())) : Optional.empty();
        this.expiry = expiry;
        this.bus = bus;
        this.breaker = breaker;
        this.codecErrors = codecErrors;
    }

    public String name() {
        return name;
    }

    public CacheSettings settings() {
        return settings;
    }

    public CacheStats stats() {
        return statistics.snapshot(name);
    }

    /**
     * The field under which a key is stored: the key itself, or for a versioned cache the key behind
     * the current version. Read once per call and reused for its get and its put, so that a value
     * loaded before a bump can only land under the old, dead version. Null when the version cannot be
     * read: then the call must bypass the cache altogether (never share one field between keys).
     */
    String field(String key) {
        if (version.isEmpty()) {
            return key;
        }
        String current = currentVersion();
        return current == null ? null : "v" + current + "|" + key;
    }

    /** A version read from Redis while this instance had heard of {@code changes} changes, good until {@code until}. */
    private record KnownVersion(String version, long changes, long until) {
    }

    /**
     * How long a versioned cache keeps the version it read. A bump anywhere reaches this instance as
     * an invalidate-all on the bus, which counts as a change and so ends the kept version at once, as
     * does a lost bus; the bound only covers the version key's own expiry (it outlives every entry
     * by an hour, and is renewed by every bump).
     */
    static final long VERSION_KEPT_MILLIS = 1000;

    private volatile KnownVersion knownVersion;

    /**
     * The current version: kept in memory while the invalidation bus can vouch for it and no change
     * was heard since it was read (then a hit costs one round trip, not two), else read from Redis.
     */
    private String currentVersion() {
        KnownVersion known = knownVersion;
        long now = System.currentTimeMillis();
        boolean vouched = bus.live() && breaker.closed();
        if (vouched && known != null && known.changes() == changes.get() && now < known.until()) {
            return known.version();
        }
        long changesAtRead = changes.get();
        String current = async("read the version of " + name, () -> version.get().current(), null);
        if (current != null && vouched && changes.get() == changesAtRead && bus.live()) {
            knownVersion = new KnownVersion(current, changesAtRead, now + VERSION_KEPT_MILLIS);
        }
        return current;
    }

    /** The entry in the near cache, if there is one it can vouch for; null otherwise. */
    Stamped readNear(String field) {
        Optional<NearCache> near = usableNear();
        if (near.isEmpty()) {
            return null;
        }
        Stamped local = near.get().get(field);
        if (local != null) {
            statistics.nearHits.increment();
        }
        return local;
    }

    /**
     * Whether a read of {@code key} would now be answered from the near cache (a peek: it counts
     * nothing, and never asks Redis; a versioned cache has no near cache).
     */
    public boolean holdsNear(String key) {
        Optional<NearCache> near = usableNear();
        return near.isPresent() && near.get().get(key) != null;
    }

    /** Whether the near cache is usable and still holds exactly {@code entry} under {@code field}. */
    boolean nearHolds(String field, Stamped entry) {
        Optional<NearCache> near = usableNear();
        return near.isPresent() && near.get().get(field) == entry;
    }

    /**
     * Drops a key's near copies on every instance, and the answers made from them, leaving the entry
     * in Redis: for answers that show something beside the cached value that just changed (a
     * product's pending views). One {@code SPUBLISH}; without Redis, nothing near can be vouched for
     * anyway.
     */
    public void dropNearCopies(String key) {
        if (near.isEmpty()) {
            return;
        }
        String field = field(key);
        if (field == null) {
            return;
        }
        near.get().invalidate(field);
        async("drop near copies in " + name, () -> store.publish(field), false);
    }

    /** Keeps a value read from Redis near, unless an invalidation arrived since {@code epochAtRead}. */
    void keepNear(String field, Stamped remote, long epochAtRead) {
        usableNear().ifPresent(n -> n.putIfUnchanged(field, remote, epochAtRead));
    }

    /**
     * One round trip: the entry in Redis, or this caller's lease on it, or neither (another caller
     * holds the lease). With Redis unavailable, {@link #NO_REDIS} as the token (load, store nothing).
     * An entry that cannot be decoded is deleted and looked up again (so this caller loads and replaces it).
     */
    CacheStore.Lookup lookup(String field) {
        CacheStore.Lookup noRedis = CacheStore.Lookup.leased(NO_REDIS);
        CacheStore.Lookup found;
        try {
            found = breaker.callAsync("read " + name, () -> store.getOrLease(field), noRedis);
        } catch (RedisFailures.CodecError e) {
            codecErrors.record("read an entry of " + name, e);
            boolean deleted = async("delete an unreadable entry of " + name, () -> store.invalidate(field), false);
            // the entry is gone: look again, so that this caller leases, loads and replaces it
            found = deleted ? async("read an entry of " + name, () -> store.getOrLease(field), noRedis) : noRedis;
        }
        return found.found() == null || found.found() instanceof Stamped ? found : CacheStore.Lookup.found(stamped(found.found()));
    }

    /** An entry as read from Redis; one written without a stamp (before stamps existed) never refreshes early. */
    private static Stamped stamped(Object value) {
        return value instanceof Stamped stamped ? stamped : new Stamped(value, 1, Long.MAX_VALUE);
    }

    /** The entry as Redis holds it, without taking a lease (what {@code GET /api/caches} tools and tests look at); null if none. */
    Stamped readRemote(String field) {
        Object value = async("read " + name, () -> store.get(field), null);
        return value == null ? null : stamped(value);
    }

    /**
     * How many changes this instance made or heard of so far: a load that started before a change
     * may return what the database held before it, so a caller that arrives after the change must not
     * join it.
     */
    long changes() {
        return changes.get();
    }

    long nearEpoch() {
        return near.map(NearCache::epoch).orElse(0L);
    }

    /** The near cache, when there is one and the invalidation bus can vouch for it. */
    private Optional<NearCache> usableNear() {
        return near.isPresent() && bus.live() && breaker.closed() ? near : Optional.empty();
    }

    /** The value with its load time and the expiry its write will get (TTL ± jitter from now). */
    Stamped stamp(Object value, long loadNanos) {
        return new Stamped(value, loadNanos / 1_000_000, System.currentTimeMillis() + expiry.nextMillis());
    }

    /** A lease token, null if another caller holds the lease, {@link #NO_REDIS} if Redis cannot say. */
    String tryLease(String field) {
        return async("take a lease in " + name, () -> store.tryLease(field), NO_REDIS);
    }

    void release(String field, String token) {
        if (!NO_REDIS.equals(token)) {
            async("release a lease in " + name, () -> store.release(field, token), false);
        }
    }

    /**
     * Stores a loaded (or early-refreshed) value and releases the lease in one atomic step, only if
     * the lease still holds: a writer or invalidation since the lease was taken broke it, and then the
     * value, possibly older than the database, is dropped.
     */
    boolean storeLoaded(String field, Stamped loaded, String token, long nearEpochAtStart) {
        if (NO_REDIS.equals(token)) {
            return false;
        }
        boolean stored = async("store a loaded value in " + name, () -> store.storeLoaded(field, loaded, token), false);
        if (stored) {
            statistics.puts.increment();
            usableNear().ifPresent(n -> n.putIfUnchanged(field, loaded, nearEpochAtStart));
        } else {
            release(field, token);
        }
        return stored;
    }

    /** Stores an early-refreshed value like {@link #storeLoaded}, then tells every instance to drop the old one. */
    boolean storeRefreshed(String field, Stamped fresh, String token) {
        near.ifPresent(n -> n.invalidate(field));
        boolean stored = storeLoaded(field, fresh, token, -1);
        if (stored) {
            async("publish a refresh of " + name, () -> store.publish(field), false);
        }
        return stored;
    }

    /**
     * A write-through ({@code @CachePut}, {@code skipGet}): stores, fences out loaders, tells every
     * instance. False if Redis could not be told (the caller records it in the outbox).
     */
    boolean write(String field, Stamped value) {
        changes.incrementAndGet();
        near.ifPresent(n -> n.invalidate(field));
        try {
            Boolean written = breaker.callAsync("write " + name, () -> store.put(field, value), null);
            if (written != null) {
                statistics.puts.increment();
            }
            return written != null;
        } catch (RedisFailures.CodecError e) {
            codecErrors.record("write " + name, e);
            return remove(field); // the new value cannot be stored: the older one must not stay
        }
    }

    /**
     * Deletes the entry, fences out its loaders and tells every instance, in one step. False if Redis
     * could not be told (the caller decides whether that matters: the outbox retries).
     */
    boolean remove(String field) {
        changes.incrementAndGet();
        near.ifPresent(n -> n.invalidate(field));
        Boolean removed = async("remove from " + name, () -> store.invalidate(field), null);
        if (Boolean.TRUE.equals(removed)) {
            statistics.removals.increment();
        }
        return removed != null;
    }

    /** Removes the entry of a key (not a field): for invalidations recorded before the version was known. False if Redis could not be told. */
    public boolean removeKey(String key) {
        String field = field(key);
        return field != null && remove(field);
    }

    /**
     * Invalidates every entry: a version bump for a versioned cache, else one clear of the cache's
     * hash. False if Redis could not be told.
     */
    public boolean invalidateAll() {
        changes.incrementAndGet();
        near.ifPresent(NearCache::clear);
        boolean told = async("invalidate " + name, () -> version.map(v -> v.bump().thenApply(bumped -> true))
                .orElseGet(() -> store.clearAsync())
                .thenCompose(done -> bus.publishAsync(0, name, null)), false);
        changes.incrementAndGet(); // a version read while the bump was under way is not kept
        return told;
    }

    /** Another instance changed {@code field} (null: everything). */
    void invalidatedElsewhere(String field) {
        changes.incrementAndGet();
        statistics.invalidationsReceived.increment();
        near.ifPresent(n -> {
            if (field == null) {
                n.clear();
            } else {
                n.invalidate(field);
            }
        });
    }

    private final java.util.concurrent.atomic.AtomicBoolean outboxFailing = new java.util.concurrent.atomic.AtomicBoolean();

    /** Neither Redis nor the database could take an invalidation: logged once until one succeeds again. */
    void outboxUnavailable(RuntimeException cause) {
        if (outboxFailing.compareAndSet(false, true)) {
            java.util.logging.Logger.getLogger(NamedCache.class.getName()).log(java.util.logging.Level.SEVERE,
                    "An invalidation of " + name + " reached neither Redis nor the outbox table; entries may stay stale"
                            + " until their TTL (" + settings.ttl() + ")", cause);
        }
    }

    /** The bus lost messages (or Redis restarted): nothing kept in memory can be vouched for. */
    void clearNear() {
        changes.incrementAndGet();
        knownVersion = null;
        near.ifPresent(NearCache::clear);
    }

    /** An asynchronous Redis call through the breaker (released at once if it opens); a codec error is recorded and answered with the fallback. */
    private <T> T async(String action, Supplier<? extends java.util.concurrent.CompletionStage<T>> call, T fallback) {
        try {
            return breaker.callAsync(action, call, fallback);
        } catch (RedisFailures.CodecError e) {
            codecErrors.record(action, e);
            return fallback;
        }
    }

}
