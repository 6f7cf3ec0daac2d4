package dev.larder.kit.caching.control;

import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Turns the key parameters of a call into one readable Redis hash field: {@code 42},
 * {@code books|0|20}. Parts are separated by {@code |}, collections are written {@code [a,b]}; the
 * characters {@code \ | , [ ]} inside a value are escaped with {@code \}, a null is written
 * {@code \0} and an empty string {@code \e}, so distinct argument lists never share a key. Only values with a stable text form are accepted (strings, numbers, booleans,
 * characters, enums, and collections or arrays of them): a key built from {@code Object.toString()}
 * of an arbitrary object would silently differ between instances.
 */
public final class CacheKeys {

    private CacheKeys() {
    }

    public static String of(Object... parts) {
        return Arrays.stream(parts).map(CacheKeys::part).collect(Collectors.joining("|"));
    }

    private static String part(Object value) {
        if (value == null) {
            return "\\0";
        }
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                || value instanceof Character || value instanceof Enum<?>) {
            return escape(value.toString());
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(CacheKeys::part).collect(Collectors.joining(",", "[", "]"));
        }
        if (value instanceof Object[] array) {
            return part(Arrays.asList(array));
        }
        throw new IllegalArgumentException("cannot build a cache key from a " + value.getClass().getName()
                + "; use @CacheKey on parameters of simple types");
    }

    private static String escape(String text) {
        if (text.isEmpty()) {
            return "\\e";
        }
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '\\' || c == '|' || c == ',' || c == '[' || c == ']') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
