package dev.larder.kit.caching.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.larder.kit.redis.control.Stamped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded per-instance copy of a cache's entries (Caffeine), in front of Redis. It may only hold
 * what Redis held after the last invalidation it heard of: a value read from Redis is kept only if
 * no invalidation for this cache arrived while it was being read ({@link #epoch()}), since that
 * invalidation may have been about this very value.
 */
class NearCache {

    private final Cache<String, Stamped> entries;
    private final AtomicLong epoch = new AtomicLong();

    NearCache(long maxSize, Duration ttl) {
        entries = Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(ttl).build();
    }

    Stamped get(String field) {
        Stamped stamped = entries.getIfPresent(field);
        if (stamped != null && stamped.expiresAt() <= System.currentTimeMillis()) {
            entries.invalidate(field);
            return null;
        }
        return stamped;
    }

    long epoch() {
        return epoch.get();
    }

    /** Keeps a value read from Redis, unless an invalidation arrived since {@code epochAtRead}. */
    void putIfUnchanged(String field, Stamped stamped, long epochAtRead) {
        if (epoch.get() == epochAtRead) {
            entries.put(field, stamped);
            if (epoch.get() != epochAtRead) {
                entries.invalidate(field);
            }
        }
    }

    /** A value this instance itself just wrote to Redis. */
    void put(String field, Stamped stamped) {
        entries.put(field, stamped);
    }

    void invalidate(String field) {
        epoch.incrementAndGet();
        entries.invalidate(field);
    }

    void clear() {
        epoch.incrementAndGet();
        entries.invalidateAll();
    }
}
