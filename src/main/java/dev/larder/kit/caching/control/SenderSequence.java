package dev.larder.kit.caching.control;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The sequence numbers heard from one sender on the invalidation bus. A number skipped over is
 * remembered as missing for {@link InvalidationBus#GAP_MILLIS}: if it arrives late (concurrent
 * publishes overtake each other on different connections) nothing was lost; if it is still missing
 * then, it was lost and the receiver must clear its near caches.
 */
final class SenderSequence {

    /** More missing numbers than this at once is treated as a gap straight away. */
    static final int MAX_MISSING = 10_000;

    private final String sender;
    private final TreeMap<Long, Long> missing = new TreeMap<>(); // seq -> deadline (nanoTime)
    private long highest = -1;
    private volatile long lastHeardNanos = System.nanoTime();

    SenderSequence(String sender) {
        this.sender = sender;
    }

    /** Records {@code seq}; false if it proves messages were lost already (a jump too large to wait for). */
    synchronized boolean arrived(long seq, long nowNanos) {
        lastHeardNanos = nowNanos;
        if (highest < 0) {
            highest = seq;
            return true;
        }
        if (seq <= highest) {
            missing.remove(seq);
            return true;
        }
        if (seq - highest - 1 + missing.size() > MAX_MISSING) {
            missing.clear();
            highest = seq;
            return false;
        }
        long deadline = nowNanos + TimeUnit.MILLISECONDS.toNanos(InvalidationBus.GAP_MILLIS);
        for (long s = highest + 1; s < seq; s++) {
            missing.put(s, deadline);
        }
        highest = seq;
        return true;
    }

    /** Whether nothing came from this sender for {@code nanos}: every live instance probes every 200 ms. */
    boolean silentFor(long nowNanos, long nanos) {
        return nowNanos - lastHeardNanos > nanos;
    }

    /** Whether a missing number is overdue: then it was lost (and is forgotten, having been reported). */
    synchronized boolean gapOverdue(long nowNanos) {
        Map.Entry<Long, Long> oldest = missing.firstEntry();
        if (oldest == null || oldest.getValue() - nowNanos > 0) {
            return false;
        }
        missing.clear();
        return true;
    }

    @Override
    public synchronized String toString() {
        return "sender " + sender + ", up to " + highest + ", missing " + missing.size();
    }
}
