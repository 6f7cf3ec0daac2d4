package dev.larder.kit.caching.control;

import java.io.Serializable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;

/**
 * Every write lives for the cache's TTL plus or minus a random share of it, so that entries loaded
 * together (after a deploy, a flush or a namespace bump) do not all expire in the same second.
 * Reads leave the expiry unchanged. A caller that must know the expiry of its write (to stamp it
 * beside the value for early refresh) picks it with {@link #nextMillis()} and pins it for that
 * write with {@link #pinned}: JCache asks its expiry policy on the writing thread.
 */
public class JitteredExpiry implements ExpiryPolicy, Serializable {

    private static final long serialVersionUID = 1L;

    private final long ttlMillis;
    private final double jitter;

    /** @param jitter share of the TTL to add or remove at random, 0 to 0.5 */
    public JitteredExpiry(java.time.Duration ttl, double jitter) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a cache TTL must be positive, got " + ttl);
        }
        if (jitter < 0 || jitter > 0.5) {
            throw new IllegalArgumentException("jitter must be between 0 and 0.5, got " + jitter);
        }
        this.ttlMillis = ttl.toMillis();
        this.jitter = jitter;
    }

    private static final ThreadLocal<Long> PINNED = new ThreadLocal<>();

    /** Runs one cache write whose expiry is {@code millis} instead of a fresh random pick. */
    static <T> T pinned(long millis, java.util.function.Supplier<T> write) {
        PINNED.set(millis);
        try {
            return write.get();
        } finally {
            PINNED.remove();
        }
    }

    long nextMillis() {
        long spread = (long) (ttlMillis * jitter);
        return spread == 0 ? ttlMillis : ttlMillis + ThreadLocalRandom.current().nextLong(-spread, spread + 1);
    }

    @Override
    public Duration getExpiryForCreation() {
        Long pinned = PINNED.get();
        return new Duration(TimeUnit.MILLISECONDS, pinned != null ? pinned : nextMillis());
    }

    @Override
    public Duration getExpiryForUpdate() {
        return getExpiryForCreation();
    }

    @Override
    public Duration getExpiryForAccess() {
        return null;
    }
}
