package dev.larder.kit.redis.control;

/**
 * A cached value with what early refresh needs beside it: how long it took to load and when it
 * expires. {@link JsonCodec} stores it as the value's own envelope plus {@code "@load"} and
 * {@code "@expires"}, so the value keeps its readable JSON and its allow-list check.
 *
 * @param loadMillis how long the load took (Δ in XFetch), at least 1
 * @param expiresAt  epoch milliseconds at which Redis drops the entry
 */
public record Stamped(Object value, long loadMillis, long expiresAt) {

    public Stamped {
        if (value == null) {
            throw new IllegalArgumentException("a cached value is never null");
        }
        loadMillis = Math.max(1, loadMillis);
    }
}
