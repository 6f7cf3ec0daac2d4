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
        assertThat(first.getKeys().remainTimeToLive(RateLimiter.PREFIX + "exact:ip:203.0.113.1")).as("a window plus a bucket").isBetween(1L, 63_000L);
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
        assertThat(last.header()).matches("\"countdown\";r=0;t=3[0-2]"); // forgotten after one window plus at most one bucket
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.resetSeconds()).isBetween(30L, 32L);
        assertThat(limiter.decide(policy, "another-client").allowed()).isTrue();
    }

    @Test
    void neverAdmitsMoreThanTheLimitInAnyWindowUnderSteadyLoad() throws Exception {
        RateLimiter limiter = new RateLimiter(first);
        Policy policy = policy("steady", 10, Duration.ofMillis(1000));
        List<Long> admittedAt = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofMillis(3500).toNanos();
        while (System.nanoTime() < end) {
            if (limiter.decide(policy, "s").allowed()) {
                admittedAt.add(System.nanoTime());
            }
            Thread.sleep(5);
        }
        for (int i = 0; i + 10 < admittedAt.size(); i++) {
            assertThat(admittedAt.get(i + 10) - admittedAt.get(i)).as("11 admissions never fit in one window")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1000).toNanos() - Duration.ofMillis(20).toNanos());
        }
        assertThat(admittedAt.size()).as("and the limit is nearly reached: at least 3 windows' worth").isGreaterThanOrEqualTo(25);
    }

    @Test
    void aClientCostsASmallFixedAmountOfRedisMemoryWhateverTheLimit() throws Exception {
        RateLimiter limiter = new RateLimiter(first);
        Policy huge = policy("huge", 100_000, Duration.ofMillis(2100)); // 21 buckets of 100 ms
        long end = System.nanoTime() + Duration.ofMillis(2300).toNanos();
        int decisions = 0;
        while (System.nanoTime() < end) { // admissions in every bucket of the window: the worst case
            assertThat(limiter.decide(huge, "busy").allowed()).isTrue();
            decisions++;
        }
        Long buckets = first.getScript(org.redisson.client.codec.StringCodec.INSTANCE).eval(
                org.redisson.api.RScript.Mode.READ_ONLY, "return redis.call('HLEN', KEYS[1])",
                org.redisson.api.RScript.ReturnType.LONG, List.<Object>of(RateLimiter.PREFIX + "huge:busy"));
        assertThat(buckets).as("every bucket of the window holds admissions").isGreaterThanOrEqualTo(20L);
        System.out.println("RateLimiterTest: " + decisions + " admissions in " + buckets + " buckets");
        Long bytes = first.getScript(org.redisson.client.codec.StringCodec.INSTANCE).eval(
                org.redisson.api.RScript.Mode.READ_ONLY, "return redis.call('MEMORY', 'USAGE', KEYS[1])",
                org.redisson.api.RScript.ReturnType.LONG, List.<Object>of(RateLimiter.PREFIX + "huge:busy"));
        System.out.println("RateLimiterTest: MEMORY USAGE of one client, all buckets filled: " + bytes + " bytes");
        assertThat(bytes).as("bytes for one client").isLessThan(512);
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
