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

    private final ConcurrentMap<String, CompletableFuture<Object>> flights = new ConcurrentHashMap<>();

    Object load(NamedCache cache, String field, Callable<Object> loader) throws Exception {
        long deadline = System.nanoTime() + cache.settings().leaseWait().toNanos();
        // a caller that arrives after a change heard by this instance starts a flight of its own
        String flight = cache.name() + '\u0000' + field + '\u0000' + cache.changes();
        while (true) {
            CompletableFuture<Object> mine = new CompletableFuture<>();
            CompletableFuture<Object> leading = flights.putIfAbsent(flight, mine);
            if (leading == null) {
                return lead(cache, field, loader, deadline, flight, mine);
            }
            cache.statistics.leaseWaits.increment();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Loads.run(cache, loader);
            }
            try {
                return leading.get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException leaderFailed) {
                Thread.onSpinWait(); // the leader's loader threw: try again, one of us leads
            } catch (TimeoutException late) {
                return Loads.run(cache, loader);
            }
        }
    }

    private Object lead(NamedCache cache, String field, Callable<Object> loader, long deadline, String flight,
                        CompletableFuture<Object> mine) throws Exception {
        try {
            Object value = acrossInstances(cache, field, loader, deadline);
            mine.complete(value);
            return value;
        } catch (Exception | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            flights.remove(flight, mine);
        }
    }

    private Object acrossInstances(NamedCache cache, String field, Callable<Object> loader, long deadline) throws Exception {
        long nearEpoch = cache.nearEpoch();
        long backoffMillis = 2;
        boolean waited = false;
        while (true) {
            String token = cache.tryLease(field);
            if (token != null) {
                Stamped justStored = NamedCache.NO_REDIS.equals(token) ? null : cache.readRemote(field);
                if (justStored != null) { // the previous holder stored it between our read and our lease
                    cache.release(field, token);
                    return justStored.value();
                }
                return loadAndStore(cache, field, loader, token, nearEpoch);
            }
            if (!waited) {
                cache.statistics.leaseWaits.increment();
                waited = true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Loads.run(cache, loader);
            }
            Thread.sleep(Math.min(backoffMillis, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            backoffMillis = Math.min(backoffMillis * 2, 20);
            Stamped loaded = cache.readRemote(field);
            if (loaded != null) {
                return loaded.value();
            }
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
