package dev.larder.kit.caching.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;

/**
 * The JSR-107 annotation semantics, written once and independent of CDI: the interceptors hand in
 * the method, its arguments and a way to run it. Cache-aside for {@code @CacheResult} (a miss runs
 * the method and stores a non-null result), write-through for {@code @CachePut}, and
 * {@code @CacheRemove}/{@code @CacheRemoveAll} before or after the method as the annotation says.
 * A method that throws caches nothing.
 */
@ApplicationScoped
public class CacheEngine {

    @Inject
    CacheRegistry registry;

    public Object invoke(Method method, Object[] args, Callable<Object> proceed) throws Exception {
        CacheOperation operation = CacheOperations.of(method);
        NamedCache cache = registry.cache(operation.cacheName());
        return switch (operation.kind()) {
            case RESULT -> result(cache, operation, args, proceed);
            case PUT -> put(cache, operation, args, proceed);
            case REMOVE -> remove(cache, operation, args, proceed);
            case REMOVE_ALL -> removeAll(cache, operation, proceed);
        };
    }

    private Object result(NamedCache cache, CacheOperation operation, Object[] args, Callable<Object> proceed)
            throws Exception {
        String field = cache.field(CacheKeys.of(operation.keyParts(args)));
        if (!operation.skipGet()) {
            Object cached = cache.get(field);
            if (cached != null) {
                cache.statistics.hits.increment();
                return cached;
            }
            cache.statistics.misses.increment();
        }
        Object loaded = load(cache, proceed);
        if (loaded != null) {
            cache.put(field, loaded);
        }
        return loaded;
    }

    private Object load(NamedCache cache, Callable<Object> proceed) throws Exception {
        long start = System.nanoTime();
        try {
            Object loaded = proceed.call();
            cache.statistics.loaded(System.nanoTime() - start);
            return loaded;
        } catch (Exception | Error e) {
            cache.statistics.loadFailures.increment();
            throw e;
        }
    }

    private Object put(NamedCache cache, CacheOperation operation, Object[] args, Callable<Object> proceed)
            throws Exception {
        String field = cache.field(CacheKeys.of(operation.keyParts(args)));
        Object value = operation.value(args);
        if (!operation.afterInvocation()) {
            cache.put(field, value);
        }
        Object result = proceed.call();
        if (operation.afterInvocation()) {
            cache.put(field, value);
        }
        return result;
    }

    private Object remove(NamedCache cache, CacheOperation operation, Object[] args, Callable<Object> proceed)
            throws Exception {
        String field = cache.field(CacheKeys.of(operation.keyParts(args)));
        if (!operation.afterInvocation()) {
            cache.remove(field);
        }
        Object result = proceed.call();
        if (operation.afterInvocation()) {
            cache.remove(field);
        }
        return result;
    }

    private Object removeAll(NamedCache cache, CacheOperation operation, Callable<Object> proceed) throws Exception {
        if (!operation.afterInvocation()) {
            cache.invalidateAll();
        }
        Object result = proceed.call();
        if (operation.afterInvocation()) {
            cache.invalidateAll();
        }
        return result;
    }
}
