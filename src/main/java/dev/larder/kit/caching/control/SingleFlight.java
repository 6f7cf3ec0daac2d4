package dev.larder.kit.caching.control;

import dev.larder.kit.redis.control.Stamped;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Loads a missing entry once across all instances. Inside one instance, concurrent misses of a key
 * share one flight; across instances, the flight's leader takes the key's lease in Redis and loads,
 * while the other instances' leaders poll Redis for the value (backing off from 2 to 20 ms). If the
 * loader throws, its lease is released; if its instance dies, the lease lapses after its TTL; either
 * way one waiter takes the lease and loads. Nobody waits longer than {@code lease-wait}: past that a
 * caller loads for itself (without storing, since another load is under way). A flight only takes
 * in callers that arrived before this instance made or heard of a further change of the cache, so no
 * caller gets a value loaded before a change it could already have seen.
 */
@ApplicationScoped
public class SingleFlight {

    private final ConcurrentMap<String, CompletableFuture<Landed>> flights = new ConcurrentHashMap<>();

    /**
     * What a flight brought back: the entry found in Redis ({@code cached}, for the caller to count a
     * hit and consider an early refresh), or a value loaded here or by another instance meanwhile.
     */
    record Landed(Object value, Stamped cached) {
    }

    Landed load(NamedCache cache, String field, Callable<Object> loader) throws Exception {
        long deadline = System.nanoTime() + cache.settings().leaseWait().toNanos();
        // a caller that arrives after a change heard by this instance starts a flight of its own
        String flight = cache.name() + '\u0000' + field + '\u0000' + cache.changes();
        while (true) {
            CompletableFuture<Landed> mine = new CompletableFuture<>();
            CompletableFuture<Landed> leading = flights.putIfAbsent(flight, mine);
            if (leading == null) {
                return lead(cache, field, loader, deadline, flight, mine);
            }
            cache.statistics.leaseWaits.increment();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new Landed(Loads.run(cache, loader), null);
            }
            try {
                return leading.get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException leaderFailed) {
                Thread.onSpinWait(); // the leader's loader threw: try again, one of us leads
            } catch (TimeoutException late) {
                return new Landed(Loads.run(cache, loader), null);
            }
        }
    }

    private Landed lead(NamedCache cache, String field, Callable<Object> loader, long deadline, String flight,
                        CompletableFuture<Landed> mine) throws Exception {
        try {
            Landed landed = acrossInstances(cache, field, loader, deadline);
            mine.complete(landed);
            return landed;
        } catch (Exception | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            flights.remove(flight, mine);
        }
    }

    /**
     * A miss costs two round trips: one atomic "the entry, or else the lease" and, after the load,
     * one atomic "store if the lease still holds, and release it". A caller that finds the lease
     * taken polls the same way, so it either finds the stored value or, if the holder died, takes
     * over the lease.
     */
    private Landed acrossInstances(NamedCache cache, String field, Callable<Object> loader, long deadline) throws Exception {
        long nearEpoch = cache.nearEpoch();
        long backoffMillis = 2;
        boolean waited = false;
        while (true) {
            CacheStore.Lookup lookup = cache.lookup(field);
            if (lookup.found() != null) {
                Stamped found = (Stamped) lookup.found();
                cache.keepNear(field, found, nearEpoch);
                return waited ? new Landed(found.value(), null) : new Landed(found.value(), found);
            }
            if (lookup.token() != null) {
                return new Landed(loadAndStore(cache, field, loader, lookup.token(), nearEpoch), null);
            }
            if (!waited) {
                cache.statistics.leaseWaits.increment();
                waited = true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new Landed(Loads.run(cache, loader), null);
            }
            Thread.sleep(Math.min(backoffMillis, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            backoffMillis = Math.min(backoffMillis * 2, 20);
        }
    }

    private static Object loadAndStore(NamedCache cache, String field, Callable<Object> loader, String token,
                                       long nearEpoch) throws Exception {
        long start = System.nanoTime();
        Object value = Loads.underLease(cache, field, token, loader);
        if (value == null) {
            cache.release(field, token);
            return null;
        }
        cache.storeLoaded(field, cache.stamp(value, System.nanoTime() - start), token, nearEpoch);
        return value;
    }
}
