package dev.larder.kit.caching.control;

import dev.larder.kit.redis.control.Stamped;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The JSR-107 annotation semantics, written once and independent of CDI: the interceptors hand in
 * the method, its arguments and a way to run it. {@code @CacheResult} is cache-aside with
 * single-flight loads ({@link SingleFlight}) and probabilistic early refresh; {@code @CachePut} is
 * write-through; {@code @CacheRemove}/{@code @CacheRemoveAll} act before or after the method as the
 * annotation says. A method that throws caches nothing.
 */
@ApplicationScoped
public class CacheEngine {

    @Inject
    CacheRegistry registry;

    @Inject
    SingleFlight flights;

    /** Null where there is no database (unit tests): then every invalidation is immediate. */
    @Inject
    InvalidationOutbox outbox;

    /** A cache read through {@code loader} and, if given, written through {@code writer} (see {@link ReadThrough}). */
    public <K, V> ReadThrough<K, V> readThrough(String cache, javax.cache.integration.CacheLoader<K, V> loader,
                                                java.util.Optional<javax.cache.integration.CacheWriter<K, V>> writer) {
        return new ReadThrough<>(registry.cache(cache), this, loader, writer);
    }

    public Object invoke(Method method, Object[] args, Callable<Object> proceed) throws Exception {
        CacheOperation operation = CacheOperations.of(method);
        if (transactional(operation)) {
            // a put inside a transaction becomes an invalidation after the commit: the value written
            // before the commit could outlive a rollback, and two writers could land in either order
            String key = operation.kind() == CacheOperation.Kind.REMOVE_ALL ? null : CacheKeys.of(operation.keyParts(args));
            return around(operation, proceed, () -> outbox.record(operation.cacheName(), key));
        }
        NamedCache cache = registry.cache(operation.cacheName());
        String field = operation.kind() == CacheOperation.Kind.REMOVE_ALL ? null
                : cache.field(CacheKeys.of(operation.keyParts(args)));
        if (field == null && (operation.kind() == CacheOperation.Kind.PUT || operation.kind() == CacheOperation.Kind.REMOVE)) {
            Object result = proceed.call(); // no field to write or remove now: the outbox removes it once it can
            retryLater(cache, false, CacheKeys.of(operation.keyParts(args)));
            return result;
        }
        return switch (operation.kind()) {
            case RESULT -> result(cache, operation, field, proceed);
            case PUT -> around(operation, proceed, () -> retryLater(cache,
                    cache.write(field, cache.stamp(operation.value(args), 0)), CacheKeys.of(operation.keyParts(args))));
            case REMOVE -> around(operation, proceed, () -> retryLater(cache, cache.remove(field),
                    CacheKeys.of(operation.keyParts(args))));
            case REMOVE_ALL -> around(operation, proceed, () -> retryLater(cache, cache.invalidateAll(), null));
        };
    }

    /**
     * A remove inside a JTA transaction joins it through the outbox: it takes effect in Redis right
     * after the commit (or, if Redis is unavailable then, as soon as any instance can), and not at all
     * if the transaction rolls back; so no reader can put back a value older than the commit.
     */
    private boolean transactional(CacheOperation operation) {
        return operation.kind() != CacheOperation.Kind.RESULT && outbox != null && outbox.inTransaction();
    }

    /**
     * An invalidation (or write) outside a transaction that could not reach Redis is not dropped: it
     * goes to the outbox, in a transaction of its own, for the relay to carry out once Redis answers.
     */
    void retryLater(NamedCache cache, boolean told, String key) {
        if (told || outbox == null) {
            return;
        }
        try {
            outbox.recordAlone(cache.name(), key);
        } catch (RuntimeException e) {
            cache.outboxUnavailable(e);
        }
    }

    /**
     * The namespace version of a versioned cache could not be read: the key has no field, so the call
     * runs as if there were no cache (a result is loaded and not stored; a put or remove cannot reach
     * an entry it cannot name, and the entries written under the current version expire on their TTL).
     */
    private static Object bypass(NamedCache cache, Callable<Object> proceed) throws Exception {
        ResponseTier.notNear();
        cache.statistics.misses.increment();
        return Loads.run(cache, proceed);
    }

    Object result(NamedCache cache, CacheOperation operation, String field, Callable<Object> proceed) throws Exception {
        if (field == null) {
            return bypass(cache, proceed);
        }
        if (operation.skipGet()) {
            ResponseTier.notNear();
            long start = System.nanoTime();
            Object loaded = Loads.run(cache, proceed);
            if (loaded != null) {
                cache.write(field, cache.stamp(loaded, System.nanoTime() - start));
            }
            return loaded;
        }
        Stamped cached = cache.readNear(field);
        if (cached != null) {
            ResponseTier.nearHit(cache, field, cached);
        } else {
            ResponseTier.notNear();
            SingleFlight.Landed landed = flights.load(cache, field, proceed);
            if (landed.cached() == null) {
                cache.statistics.misses.increment();
                return landed.value();
            }
            cache.statistics.remoteHits.increment();
            cached = landed.cached();
        }
        if (dueForEarlyRefresh(cached, cache.settings().beta())) {
            return refreshEarly(cache, field, cached, proceed);
        }
        return cached.value();
    }

    /**
     * XFetch (Vattani, Chierichetti, Lowenstein, VLDB 2015): refresh when
     * {@code now − Δ·β·ln(rand) ≥ expiry}, so the chance grows as expiry nears and with the load
     * time Δ, and a hot key is reloaded by one caller before it expires.
     */
    static boolean dueForEarlyRefresh(Stamped cached, double beta) {
        if (beta <= 0 || cached.expiresAt() == Long.MAX_VALUE) {
            return false;
        }
        double random = 1.0 - ThreadLocalRandom.current().nextDouble(); // (0, 1]
        return System.currentTimeMillis() - cached.loadMillis() * beta * Math.log(random) >= cached.expiresAt();
    }

    /** One caller (the lease holder) reloads; everyone else, and this caller if the lease is taken, gets the current value. */
    private Object refreshEarly(NamedCache cache, String field, Stamped cached, Callable<Object> proceed) throws Exception {
        String token = cache.tryLease(field);
        if (token == null || NamedCache.NO_REDIS.equals(token)) {
            return cached.value();
        }
        cache.statistics.earlyRefreshes.increment();
        long start = System.nanoTime();
        Object fresh = Loads.underLease(cache, field, token, proceed);
        if (fresh == null) {
            cache.release(field, token);
            cache.remove(field);
            return null;
        }
        cache.storeRefreshed(field, cache.stamp(fresh, System.nanoTime() - start), token);
        return fresh;
    }

    private static Object around(CacheOperation operation, Callable<Object> proceed, Runnable cacheAction) throws Exception {
        if (!operation.afterInvocation()) {
            cacheAction.run();
        }
        Object result = proceed.call();
        if (operation.afterInvocation()) {
            cacheAction.run();
        }
        return result;
    }
}
