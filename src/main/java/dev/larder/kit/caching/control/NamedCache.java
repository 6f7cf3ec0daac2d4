package dev.larder.kit.caching.control;

import dev.larder.kit.redis.control.RedisOutage;
import java.util.Optional;
import java.util.function.Supplier;
import javax.cache.Cache;

/**
 * One named cache: its Redis-backed JCache, its counters and, when versioned, its namespace version.
 * Redis trouble never reaches the caller: a failed read is a miss, a failed write is skipped, and
 * {@link RedisOutage} logs it once.
 */
public class NamedCache {

    private final String name;
    private final Cache<String, Object> store;
    private final Optional<NamespaceVersion> version;
    private final RedisOutage outage;
    final CacheStatistics statistics = new CacheStatistics();

    NamedCache(String name, Cache<String, Object> store, Optional<NamespaceVersion> version, RedisOutage outage) {
        this.name = name;
        this.store = store;
        this.version = version;
        this.outage = outage;
    }

    public String name() {
        return name;
    }

    public boolean versioned() {
        return version.isPresent();
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

    /** The cached value, or null on a miss or when Redis cannot be read. */
    Object get(String field) {
        return field == null ? null : redis("read " + name, () -> store.get(field), null);
    }

    void put(String field, Object value) {
        if (value == null) {
            remove(field);
            return;
        }
        if (field != null && redis("write " + name, () -> {
            store.put(field, value);
            return true;
        }, false)) {
            statistics.puts.increment();
        }
    }

    void remove(String field) {
        if (field != null && redis("remove from " + name, () -> store.remove(field), false)) {
            statistics.removals.increment();
        }
    }

    /** Invalidates every entry: a version bump for a versioned cache, else one clear of the cache's hash. */
    public void invalidateAll() {
        redis("invalidate " + name, () -> {
            version.ifPresentOrElse(NamespaceVersion::bump, store::clear);
            return true;
        }, false);
    }

    private <T> T redis(String action, Supplier<T> call, T fallback) {
        try {
            T result = call.get();
            outage.answered();
            return result;
        } catch (RuntimeException e) {
            outage.failed(action, e);
            return fallback;
        }
    }
}
