package dev.larder.kit.redis.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The breaker's report of call times (the {@code larder_redis_call_seconds} timer), without Redis. */
class RedisBreakerTest {

    final List<String> timed = new CopyOnWriteArrayList<>();

    @Test
    void reportsTheTimeOfEveryCallThatReachesRedisByItsAction() {
        try (RedisBreaker breaker = new RedisBreaker(() -> false, Duration.ofHours(1))) {
            breaker.timeCallsWith((action, nanos) -> timed.add(action + (nanos >= 0 ? "" : " negative")));

            assertThat(breaker.call("read products", () -> "v", null)).isEqualTo("v");
            assertThat(breaker.callAsync("take a lease in products", () -> CompletableFuture.completedFuture(1L), 0L)).isEqualTo(1L);

            assertThat(timed).containsExactly("read products", "take a lease in products");
        }
    }

    @Test
    void callsAnsweredByTheOpenBreakerAreNotTimedAndAFailingReporterNeverFailsACall() {
        try (RedisBreaker breaker = new RedisBreaker(() -> false, Duration.ofHours(1))) {
            breaker.timeCallsWith((action, nanos) -> {
                timed.add(action);
                throw new IllegalStateException("metrics are gone");
            });
            assertThat(breaker.call("read products", () -> "v", null)).isEqualTo("v");

            breaker.failed("a test", new RuntimeException("outage"));

            assertThat(breaker.call("read orders", () -> "v", "fallback")).isEqualTo("fallback");
            assertThat(timed).containsExactly("read products");
        }
    }

    @Test
    void aSuspendedBreakerServesFallbacksUntilItsStepsBeforeClosingHaveRunAndCountsOneOutage() throws Exception {
        java.util.concurrent.atomic.AtomicInteger steps = new java.util.concurrent.atomic.AtomicInteger();
        try (RedisBreaker breaker = new RedisBreaker(() -> true, Duration.ofMillis(20))) {
            breaker.beforeClosing(() -> steps.incrementAndGet() >= 3);

            assertThat(breaker.suspend("a new master")).isTrue();
            assertThat(breaker.suspend("the same change, seen again")).as("open already").isFalse();
            assertThat(breaker.call("read products", () -> "from Redis", "fallback")).isEqualTo("fallback");

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!breaker.closed() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(breaker.closed()).isTrue();
            assertThat(steps.get()).as("probed until the step succeeded, the third time").isEqualTo(3);
            assertThat(breaker.timesOpened()).isEqualTo(1);
            assertThat(breaker.call("read products", () -> "from Redis", "fallback")).isEqualTo("from Redis");
        }
    }
}
