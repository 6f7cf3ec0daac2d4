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

    /** A listener that throws when the breaker opens must not stop the probes (the breaker would stay open for good). */
    @Test
    void aFailingListenerDoesNotKeepTheBreakerOpen() throws Exception {
        try (RedisBreaker breaker = new RedisBreaker(() -> true, Duration.ofMillis(20))) {
            breaker.whenOpened(() -> {
                throw new IllegalStateException("a listener's bug");
            });
            breaker.failed("a test", new org.redisson.client.RedisTimeoutException("no answer"));
            long start = System.nanoTime();
            while (!breaker.closed() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2)) {
                Thread.sleep(5);
            }
            assertThat(breaker.closed()).as("closed by a probe").isTrue();
        }
    }

    /**
     * An instance whose requests need no Redis (near copies, the response tier, leased rate-limit
     * permits) must still learn of an outage within a Redis timeout or so, or its next request that
     * needs Redis waits out the timeout itself (FaultsIT: reads 1.5 s into a pause must be quick).
     */
    @Test
    void anIdleInstanceLearnsOfAnOutageWithoutACallOfItsOwnAndABusyOneIsNotProbed() throws Exception {
        AtomicBoolean down = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();
        try (RedisBreaker breaker = new RedisBreaker(() -> {
            probes.incrementAndGet();
            if (down.get()) {
                sleep(200); // the Redis timeout
                throw new org.redisson.client.RedisTimeoutException("no answer (paused)");
            }
            return true;
        }, Duration.ofMillis(50))) {
            breaker.watchWhileIdle(Duration.ofMillis(50));
            long busyUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
            while (System.nanoTime() < busyUntil) {
                assertThat(breaker.call("read products", () -> "v", null)).isEqualTo("v");
                Thread.sleep(5);
            }
            // (not zero: on a loaded machine one pause between two answers may outlast an interval)
            assertThat(probes.get()).as("probes while calls get answers (8 if it probed every interval)").isLessThanOrEqualTo(1);

            Thread.sleep(300);
            assertThat(probes.get()).as("probes while idle").isPositive();
            assertThat(breaker.closed()).isTrue();

            down.set(true);
            long start = System.nanoTime();
            while (breaker.closed() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3)) {
                Thread.sleep(5);
            }
            assertThat(breaker.closed()).as("opened by the watch, without a call").isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("within the timeout plus an interval or so")
                    .isLessThan(Duration.ofMillis(200 + 50 + 400));
            assertThat(breaker.call("read products", () -> "v", "fallback")).isEqualTo("fallback");
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
