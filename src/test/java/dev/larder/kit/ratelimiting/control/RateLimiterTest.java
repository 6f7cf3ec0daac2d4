package dev.larder.kit.ratelimiting.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/** The limiter's Lua script on a real redis-server, with two clients standing for two instances. */
class RateLimiterTest {

    static RedisServer redis;
    static RedissonClient first;
    static RedissonClient second;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        first = redis.client("dev.larder.");
        second = redis.client("dev.larder.");
    }

    @AfterAll
    static void stop() throws Exception {
        first.shutdown();
        second.shutdown();
        redis.close();
    }

    static Policy policy(String name, int limit, Duration window) {
        return new Policy(name, Pattern.compile(".*"), Set.of(), limit, window);
    }

    @Test
    void admitsExactlyTheLimitUnderConcurrencyAcrossInstances() throws Exception {
        Policy policy = policy("exact", 50, Duration.ofMinutes(1));
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RateLimiter.Decision>> decisions = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RateLimiter limiter = new RateLimiter(i % 2 == 0 ? first : second);
            decisions.add(pool.submit(() -> {
                go.await();
                return limiter.decide(policy, "ip:203.0.113.1");
            }));
        }
        go.countDown();
        int admitted = 0;
        for (Future<RateLimiter.Decision> decision : decisions) {
            admitted += decision.get().allowed() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(admitted).isEqualTo(50);
        assertThat(first.getKeys().remainTimeToLive(RateLimiter.PREFIX + "exact:ip:203.0.113.1")).isBetween(1L, 60_000L);
    }

    @Test
    void countsDownAndTellsWhenToRetry() {
        RateLimiter limiter = new RateLimiter(first);
        Policy policy = policy("countdown", 3, Duration.ofSeconds(30));

        assertThat(limiter.decide(policy, "c").remaining()).isEqualTo(2);
        assertThat(limiter.decide(policy, "c").remaining()).isEqualTo(1);
        RateLimiter.Decision last = limiter.decide(policy, "c");
        RateLimiter.Decision refused = limiter.decide(policy, "c");

        assertThat(last.allowed()).isTrue();
        assertThat(last.header()).isEqualTo("\"countdown\";r=0;t=30");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.resetSeconds()).isBetween(29L, 30L);
        assertThat(limiter.decide(policy, "another-client").allowed()).isTrue();
    }

    @Test
    void theNextWindowAdmitsAgain() throws Exception {
        RateLimiter limiter = new RateLimiter(first);
        Policy policy = policy("sliding", 5, Duration.ofMillis(500));
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.decide(policy, "w").allowed()).isTrue();
        }
        assertThat(limiter.decide(policy, "w").allowed()).isFalse();

        Thread.sleep(600);

        assertThat(limiter.decide(policy, "w").allowed()).isTrue();
    }
}
