package dev.larder.kit.caching.control;

import dev.larder.kit.caching.control.CacheOperation.Kind;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/**
 * Reads the JSR-107 annotations of a method into a {@link CacheOperation}, following the spec's
 * rules: the cache name comes from the annotation, else {@code @CacheDefaults}, else the method's
 * full name; the key is the {@code @CacheKey} parameters, else every parameter but the
 * {@code @CacheValue}. Pure reflection, no framework: the interceptors and the boot-time scan share it.
 */
public final class CacheOperations {

    private static final Map<Method, CacheOperation> RESOLVED = new ConcurrentHashMap<>();

    private CacheOperations() {
    }

    /** The operation of an annotated method; memoized, so it costs one map lookup per call. */
    public static CacheOperation of(Method method) {
        return RESOLVED.computeIfAbsent(method, CacheOperations::resolve);
    }

    /** Whether the method carries one of the four JSR-107 method annotations. */
    public static boolean isCached(Method method) {
        return annotations(method).size() == 1;
    }

    static CacheOperation resolve(Method method) {
        List<Annotation> found = annotations(method);
        if (found.size() != 1) {
            throw new IllegalArgumentException(method + " must carry exactly one of @CacheResult, @CachePut, "
                    + "@CacheRemove, @CacheRemoveAll; it carries " + found.size());
        }
        Annotation a = found.get(0);
        if (a instanceof CacheResult r) {
            return keyed(method, Kind.RESULT, r.cacheName(), true, r.skipGet());
        }
        if (a instanceof CachePut p) {
            return keyed(method, Kind.PUT, p.cacheName(), p.afterInvocation(), false);
        }
        if (a instanceof CacheRemove r) {
            return keyed(method, Kind.REMOVE, r.cacheName(), r.afterInvocation(), false);
        }
        CacheRemoveAll all = (CacheRemoveAll) a;
        return new CacheOperation(Kind.REMOVE_ALL, cacheName(method, all.cacheName()), new int[0], -1,
                all.afterInvocation(), false);
    }

    private static CacheOperation keyed(Method method, Kind kind, String name, boolean after, boolean skipGet) {
        int valueIndex = indexOf(method, CacheValue.class).findFirst().orElse(-1);
        if (kind == Kind.PUT && valueIndex < 0) {
            throw new IllegalArgumentException(method + ": @CachePut needs a @CacheValue parameter");
        }
        int[] keys = indexOf(method, CacheKey.class).toArray();
        if (keys.length == 0) {
            keys = IntStream.range(0, method.getParameterCount()).filter(i -> i != valueIndex).toArray();
        }
        return new CacheOperation(kind, cacheName(method, name), keys, valueIndex, after, skipGet);
    }

    static String cacheName(Method method, String declared) {
        if (!declared.isEmpty()) {
            return declared;
        }
        return Optional.ofNullable(method.getDeclaringClass().getAnnotation(CacheDefaults.class))
                .map(CacheDefaults::cacheName)
                .filter(n -> !n.isEmpty())
                .orElseGet(() -> method.getDeclaringClass().getName() + "." + method.getName()
                        + Arrays.stream(method.getParameterTypes()).map(Class::getName)
                        .collect(Collectors.joining(",", "(", ")")));
    }

    private static IntStream indexOf(Method method, Class<? extends Annotation> marker) {
        Annotation[][] params = method.getParameterAnnotations();
        return IntStream.range(0, params.length)
                .filter(i -> Arrays.stream(params[i]).anyMatch(marker::isInstance));
    }

    private static List<Annotation> annotations(Method method) {
        List<Annotation> found = new ArrayList<>();
        for (Class<? extends Annotation> type : List.of(CacheResult.class, CachePut.class, CacheRemove.class, CacheRemoveAll.class)) {
            Optional.ofNullable(method.getAnnotation(type)).ifPresent(found::add);
        }
        if (found.isEmpty()) {
            for (Class<? extends Annotation> type : List.of(CacheResult.class, CachePut.class, CacheRemove.class, CacheRemoveAll.class)) {
                Optional.ofNullable(method.getDeclaringClass().getAnnotation(type)).ifPresent(found::add);
            }
        }
        return found;
    }
}
