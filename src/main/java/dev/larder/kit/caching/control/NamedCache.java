package dev.larder.kit.caching.control;

import dev.larder.kit.redis.control.RedisOutage;
import dev.larder.kit.redis.control.Stamped;
import java.util.Optional;
import java.util.function.Supplier;
import javax.cache.Cache;

/**
 * One named cache: an optional near cache, the Redis-backed JCache, its leases, its counters and,
 * when versioned, its namespace version. Redis trouble never reaches the caller: a failed read is a
 * miss, a failed write is skipped, {@link RedisOutage} logs it once, and near caches are cleared.
 */
public class NamedCache {

    /** The lease "token" of a caller that could not reach Redis: it loads, and stores nothing fenced. */
    static final String NO_REDIS = "no-redis";

    private final String name;
    private final CacheSettings settings;
    private final Cache<String, Object> store;
    private final Optional<NamespaceVersion> version;
    private final Optional<NearCache> near;
    private final Leases leases;
    private final JitteredExpiry expiry;
    private final InvalidationBus bus;
    private final RedisOutage outage;
    final CacheStatistics statistics = new CacheStatistics();

    NamedCache(String name, CacheSettings settings, Cache<String, Object> store, Optional<NamespaceVersion> version,
               Leases leases, JitteredExpiry expiry, InvalidationBus bus, RedisOutage outage) {
        this.name = name;
        this.settings = settings;
        this.store = store;
        this.version = version;
        this.near = settings.near() ? Optional.of(new NearCache(settings.nearMaxSize(), settings.nearTtl())) : Optional.empty();
        this.leases = leases;
        this.expiry = expiry;
        this.bus = bus;
        this.outage = outage;
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
     * loaded before a bump can only land under the old, dead version. Null when Redis cannot be read.
     */
    String field(String key) {
        if (version.isEmpty()) {
            return key;
        }
        return redis("read the version of " + name, () -> "v" + version.get().current() + "|" + key, null);
    }

    /** The entry from the near cache, else from Redis (then kept near); null on a miss. */
    Stamped read(String field) {
        if (field == null) {
            return null;
        }
        Optional<NearCache> near = usableNear();
        Stamped local = near.map(n -> n.get(field)).orElse(null);
        if (local != null) {
            statistics.nearHits.increment();
            return local;
        }
        long epoch = near.map(NearCache::epoch).orElse(0L);
        Stamped remote = readRemote(field);
        if (remote != null) {
            statistics.remoteHits.increment();
            near.ifPresent(n -> n.putIfUnchanged(field, remote, epoch));
        }
        return remote;
    }

    /** The entry in Redis, bypassing the near cache; null on a miss. */
    Stamped readRemote(String field) {
        if (field == null) {
            return null;
        }
        Object value = redis("read " + name, () -> store.get(field), null);
        if (value == null || value instanceof Stamped) {
            return (Stamped) value;
        }
        return new Stamped(value, 1, Long.MAX_VALUE); // written without stamp (before stamps existed)
    }

    long nearEpoch() {
        return near.map(NearCache::epoch).orElse(0L);
    }

    /** The near cache, when there is one and the invalidation bus can vouch for it. */
    private Optional<NearCache> usableNear() {
        return bus.live() ? near : Optional.empty();
    }

    /** The value with its load time and the expiry its write will get (TTL ± jitter from now). */
    Stamped stamp(Object value, long loadNanos) {
        return new Stamped(value, loadNanos / 1_000_000, System.currentTimeMillis() + expiry.nextMillis());
    }

    /** A lease token, null if another caller holds the lease, {@link #NO_REDIS} if Redis cannot say. */
    String tryLease(String field) {
        if (field == null) {
            return NO_REDIS;
        }
        return redis("take a lease in " + name, () -> leases.tryAcquire(field), NO_REDIS);
    }

    void release(String field, String token) {
        if (field != null && !NO_REDIS.equals(token)) {
            redis("release a lease in " + name, () -> leases.release(field, token), false);
        }
    }

    /**
     * Stores a loaded value if the lease still holds and no writer stored one meanwhile, then
     * releases the lease (after the store, so that nobody takes it to load the same value again).
     */
    boolean storeLoaded(String field, Stamped loaded, String token, long nearEpochAtStart) {
        if (field == null || NO_REDIS.equals(token)) {
            return false;
        }
        boolean stored = redis("store a loaded value in " + name, () -> leases.holds(field, token)
                && pinned(loaded, () -> store.putIfAbsent(field, loaded)), false);
        release(field, token);
        if (stored) {
            statistics.puts.increment();
            usableNear().ifPresent(n -> n.putIfUnchanged(field, loaded, nearEpochAtStart));
        }
        return stored;
    }

    /** Replaces an entry refreshed early, if the lease still holds and the entry is still {@code current}. */
    boolean storeRefreshed(String field, Stamped current, Stamped fresh, String token) {
        boolean stored = redis("store a refreshed value in " + name, () -> leases.holds(field, token)
                && pinned(fresh, () -> store.replace(field, current, fresh)), false);
        release(field, token);
        if (stored) {
            statistics.puts.increment();
            near.ifPresent(n -> n.invalidate(field));
            publish(field);
        }
        return stored;
    }

    /** A write-through ({@code @CachePut}, {@code skipGet}): stores, fences out loaders, tells every instance. */
    void write(String field, Stamped value) {
        if (field == null) {
            return;
        }
        if (redis("write " + name, () -> {
            pinned(value, () -> {
                store.put(field, value);
                return true;
            });
            leases.breakLease(field);
            return true;
        }, false)) {
            statistics.puts.increment();
        }
        near.ifPresent(n -> n.invalidate(field));
        publish(field);
    }

    void remove(String field) {
        if (field == null) {
            return;
        }
        if (redis("remove from " + name, () -> {
            leases.breakLease(field);
            return store.remove(field);
        }, false)) {
            statistics.removals.increment();
        }
        near.ifPresent(n -> n.invalidate(field));
        publish(field);
    }

    /** Invalidates every entry: a version bump for a versioned cache, else one clear of the cache's hash. */
    public void invalidateAll() {
        redis("invalidate " + name, () -> {
            version.ifPresentOrElse(NamespaceVersion::bump, store::clear);
            return true;
        }, false);
        near.ifPresent(NearCache::clear);
        publish(null);
    }

    /** Another instance changed {@code field} (null: everything). */
    void invalidatedElsewhere(String field) {
        statistics.invalidationsReceived.increment();
        near.ifPresent(n -> {
            if (field == null) {
                n.clear();
            } else {
                n.invalidate(field);
            }
        });
    }

    void clearNear() {
        near.ifPresent(NearCache::clear);
    }

    private void publish(String field) {
        redis("publish an invalidation of " + name, () -> {
            bus.publish(name, field);
            return true;
        }, false);
    }

    private <T> T pinned(Stamped value, Supplier<T> write) {
        return JitteredExpiry.pinned(Math.max(1, value.expiresAt() - System.currentTimeMillis()), write);
    }

    private <T> T redis(String action, Supplier<T> call, T fallback) {
        try {
            T result = call.get();
            outage.answered();
            return result;
        } catch (RuntimeException e) {
            outage.failed(action, e);
            clearNear();
            return fallback;
        }
    }
}
