package dev.larder.kit.caching.control;

import java.util.concurrent.Callable;

/** Runs a loader (the intercepted method) and counts it: loads, failures, time. */
final class Loads {

    private Loads() {
    }

    static Object run(NamedCache cache, Callable<Object> loader) throws Exception {
        long start = System.nanoTime();
        try {
            Object loaded = loader.call();
            cache.statistics.loaded(System.nanoTime() - start);
            return loaded;
        } catch (Exception | Error e) {
            cache.statistics.loadFailures.increment();
            throw e;
        }
    }

    /** Runs a loader under a lease; if it throws, the lease is released so that another caller loads. */
    static Object underLease(NamedCache cache, String field, String token, Callable<Object> loader) throws Exception {
        try {
            return run(cache, loader);
        } catch (Exception | Error e) {
            cache.release(field, token);
            throw e;
        }
    }
}
