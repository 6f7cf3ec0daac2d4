package dev.larder.kit.caching.control;

import java.util.Arrays;

/**
 * What one JSR-107 annotated method asks of the cache, resolved once per method.
 *
 * @param kind        which annotation
 * @param cacheName   the cache, after {@code @CacheDefaults} and the spec's default name
 * @param keyIndexes  the parameters that form the key
 * @param valueIndex  the {@code @CacheValue} parameter of a put, else -1
 * @param afterInvocation whether a put or remove happens after the method returned (else before)
 * @param skipGet     {@code @CacheResult(skipGet = true)}: always run the method, then cache
 */
public record CacheOperation(Kind kind, String cacheName, int[] keyIndexes, int valueIndex,
                             boolean afterInvocation, boolean skipGet) {

    public enum Kind { RESULT, PUT, REMOVE, REMOVE_ALL }

    /** The key parts of one call, in parameter order. */
    public Object[] keyParts(Object[] args) {
        return Arrays.stream(keyIndexes).mapToObj(i -> args[i]).toArray();
    }

    public Object value(Object[] args) {
        return args[valueIndex];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheOperation other && kind == other.kind && cacheName.equals(other.cacheName)
                && Arrays.equals(keyIndexes, other.keyIndexes) && valueIndex == other.valueIndex
                && afterInvocation == other.afterInvocation && skipGet == other.skipGet;
    }

    @Override
    public int hashCode() {
        return 31 * cacheName.hashCode() + Arrays.hashCode(keyIndexes) + kind.hashCode();
    }

    @Override
    public String toString() {
        return kind + "(" + cacheName + ", key=" + Arrays.toString(keyIndexes) + ", value=" + valueIndex + ")";
    }
}
