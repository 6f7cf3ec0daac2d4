package dev.larder.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Bounded polling: reads again and again until a condition holds or time runs out. */
public final class Eventually {

    private Eventually() {
    }

    /**
     * Calls {@code read} every {@code period} until {@code done} accepts its result or {@code limit}
     * has passed since the call, and returns the last result (the caller asserts on it).
     */
    public static <T> T within(Duration limit, Duration period, Callable<T> read, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = read.call();
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(period.toMillis());
            last = read.call();
        }
        return last;
    }
}
