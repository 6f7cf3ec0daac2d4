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
}
