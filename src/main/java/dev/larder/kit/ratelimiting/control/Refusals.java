package dev.larder.kit.ratelimiting.control;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The clients known to be at their limit, each until the moment its oldest counted admission is
 * forgotten: before then Redis would refuse it too (nothing leaves the window earlier, and nothing
 * else frees a permit), so a refusal from memory is the decision Redis would make, without asking.
 * The moment is measured from when the answer arrived, so it falls at most one round trip after
 * Redis's own: a client may be refused that much longer, never admitted earlier. Bounded: beyond
 * {@value #MAX} clients the expired ones are dropped, and if that is not enough all of them
 * (forgetting a refusal only costs the next request a round trip to Redis).
 */
final class Refusals {

    static final int MAX = 10_000;

    private final ConcurrentHashMap<String, Long> until = new ConcurrentHashMap<>();
    private final LongSupplier nanos;

    Refusals(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** Remembers that {@code key} is refused for the next {@code resetMillis}. */
    void refuse(String key, long resetMillis) {
        if (until.size() >= MAX) {
            long now = nanos.getAsLong();
            until.values().removeIf(deadline -> deadline - now <= 0);
            if (until.size() >= MAX) {
                until.clear();
            }
        }
        until.put(key, nanos.getAsLong() + resetMillis * 1_000_000);
    }

    /** How many milliseconds {@code key} stays refused (rounded up), or 0 if it is not known to be. */
    long refusedMillis(String key) {
        Long deadline = until.get(key);
        if (deadline == null) {
            return 0;
        }
        long left = deadline - nanos.getAsLong();
        if (left <= 0) {
            until.remove(key, deadline);
            return 0;
        }
        return (left + 999_999) / 1_000_000;
    }

    int size() {
        return until.size();
    }
}
