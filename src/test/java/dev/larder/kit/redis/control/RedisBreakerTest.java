package dev.larder.kit.redis.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The breaker without Redis: its report of call times (the {@code larder_redis_call_seconds} timer) and its probes. */
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

    /**
     * Issue 7, "recovery within 2 s after Redis answers": a probe that started just before Redis came
     * back may still wait out the whole timeout (its connection was being re-established, or a proxy
     * in front of Redis took it and answers nothing). The next probe does not wait for it.
     */
    @Test
    void aProbeWaitingOutItsTimeoutDoesNotHoldBackTheNextSoRecoveryComesWithinAProbeInterval() throws Exception {
        AtomicBoolean answering = new AtomicBoolean();
        CountDownLatch probing = new CountDownLatch(1);
        try (RedisBreaker breaker = new RedisBreaker(() -> {
            boolean answers = answering.get();
            probing.countDown();
            if (!answers) {
                sleep(1000); // the Redis timeout: this probe's connection was doomed before Redis came back
            }
            return answers;
        }, Duration.ofMillis(100))) {
            breaker.failed("a test", new RuntimeException("outage"));
            assertThat(probing.await(5, TimeUnit.SECONDS)).isTrue();
            sleep(50); // the first probe now waits out its timeout

            answering.set(true);
            long answeredAt = System.nanoTime();
            while (!breaker.closed() && System.nanoTime() - answeredAt < TimeUnit.SECONDS.toNanos(3)) {
                sleep(5);
            }

            long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answeredAt);
            assertThat(breaker.closed()).isTrue();
            assertThat(recoveryMillis).as("closed after Redis answered (probe interval 100 ms, the stuck probe's timeout 1 s)")
                    .isLessThan(500);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
