package dev.larder.kit.ratelimiting.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;

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
    void concurrentDecisionsForOneClientShareScriptCallsAndStillAdmitExactlyTheLimitAcrossTwoLimiters() throws Exception {
        Policy policy = policy("coalesced", 300, Duration.ofMinutes(1));
        RateLimiter one = new RateLimiter(first);
        RateLimiter other = new RateLimiter(second);
        one.decide(policy, "ip:203.0.113.10"); // the script is in Redis's script cache before counting starts
        other.decide(policy, "ip:203.0.113.10");
        long callsBefore = one.calls() + other.calls();
        long scriptsBefore = scriptCalls();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RateLimiter.Decision>> decisions = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            RateLimiter limiter = i % 2 == 0 ? one : other;
            decisions.add(pool.submit(() -> {
                go.await();
                return limiter.decide(policy, "ip:203.0.113.9");
            }));
        }
        go.countDown();
        List<Integer> remainingWhenAdmitted = new ArrayList<>();
        for (Future<RateLimiter.Decision> decision : decisions) {
            if (decision.get().allowed()) {
                remainingWhenAdmitted.add(decision.get().remaining());
            }
        }
        pool.shutdown();
        long scripts = scriptCalls() - scriptsBefore;

        // (the remaining count of a leased admission is what the instance knows: two instances may tell the same)
        assertThat(remainingWhenAdmitted).as("exactly the limit").hasSize(300).allSatisfy(r -> assertThat(r).isBetween(0, 299));
        assertThat(one.calls() + other.calls() - callsBefore).as("script calls, counted by the limiters").isEqualTo(scripts);
        System.out.println("RateLimiterTest: 1000 concurrent decisions took " + scripts + " script calls, "
                + (one.refusedFromMemory() + other.refusedFromMemory()) + " refused from memory");
        assertThat(scripts).as("script calls (Redis INFO commandstats) for 1000 decisions").isLessThan(200);
    }

    @Test
    void aBusyClientIsAdmittedFromLeasesYetGetsExactlyTheLimitAcrossTwoLimiters() throws Exception {
        Policy policy = policy("leased", 5_000, Duration.ofMinutes(1));
        RateLimiter one = new RateLimiter(first);
        RateLimiter other = new RateLimiter(second);
        long scriptsBefore = scriptCalls();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            RateLimiter limiter = t % 2 == 0 ? one : other;
            workers.add(pool.submit(() -> {
                while (asked.incrementAndGet() <= 8_000) {
                    if (limiter.decide(policy, "busy").allowed()) {
                        admitted.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        long scripts = scriptCalls() - scriptsBefore;
        System.out.println("RateLimiterTest: 8000 decisions over two limiters, " + (one.admittedFromLeases() + other.admittedFromLeases())
                + " from leases, " + scripts + " script calls");

        assertThat(admitted.get()).as("admissions of 8,000 requests, limit 5,000, from two instances").isEqualTo(5_000);
        assertThat(one.admittedFromLeases() + other.admittedFromLeases()).as("admitted from leases, without a call").isGreaterThan(2_500);
        assertThat(scripts).as("script calls for 8,000 decisions").isLessThan(800);
        assertThat(one.calls() + other.calls()).isEqualTo(scripts);
        one.close();
        other.close();
    }

    @Test
    void permitsLeasedToAnInstanceThatFallsIdleGoBackToTheOthers() throws Exception {
        Policy policy = policy("given-back", 400, Duration.ofMinutes(1));
        RateLimiter idle = new RateLimiter(first);
        RateLimiter busy = new RateLimiter(second);
        int admitted = 0;
        for (int i = 0; i < 40; i++) {
            admitted += idle.decide(policy, "g").allowed() ? 1 : 0;
        }
        assertThat(idle.leased(policy, "g")).as("the idle instance holds leased permits it will not use").isPositive();

        long slowest = 0;
        for (int i = 0; i < 1_000; i++) {
            long start = System.nanoTime();
            admitted += busy.decide(policy, "g").allowed() ? 1 : 0;
            slowest = Math.max(slowest, System.nanoTime() - start);
        }

        assertThat(admitted).as("every permit of the window, the idle instance's unused lease included").isEqualTo(400);
        assertThat(idle.leased(policy, "g")).isZero();
        assertThat(Duration.ofNanos(slowest)).as("a request waits at most for a lease to end and be given back")
                .isLessThan(Duration.ofMillis(RateLimiter.LEASE_MILLIS + RateLimiter.GRACE_MILLIS + 300));
        idle.close();
        busy.close();
    }

    @Test
    void aLeaseWhoseHolderDiedHoldsUpNobodyAfterItsGraceAndCostsAtMostItself() throws Exception {
        Policy policy = policy("orphaned", 400, Duration.ofMinutes(1));
        RedissonClient dying = redis.client("dev.larder.");
        RateLimiter dead = new RateLimiter(dying);
        int admitted = 0;
        for (int i = 0; i < 40; i++) {
            admitted += dead.decide(policy, "o").allowed() ? 1 : 0;
        }
        int orphaned = dead.leased(policy, "o");
        assertThat(orphaned).isPositive();
        dying.shutdown(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS); // as after kill -9: the lease is never given back

        RateLimiter survivor = new RateLimiter(first);
        long slowest = 0;
        for (int i = 0; i < 1_000; i++) {
            long start = System.nanoTime();
            admitted += survivor.decide(policy, "o").allowed() ? 1 : 0;
            slowest = Math.max(slowest, System.nanoTime() - start);
        }

        assertThat(admitted).as("the limit less the dead instance's unused lease, never more")
                .isBetween(400 - orphaned, 400);
        assertThat(Duration.ofNanos(slowest)).as("requests wait for the dead lease only until its grace is over")
                .isLessThan(Duration.ofMillis(RateLimiter.LEASE_MILLIS + RateLimiter.GRACE_MILLIS + 300));
        RateLimiter.Decision refused = survivor.decide(policy, "o");
        assertThat(refused.allowed()).isFalse();
        assertThat(survivor.refusedFromMemory()).as("a full window without leases outstanding is remembered").isPositive();
        survivor.close();
    }

    @Test
    void aClientAtItsLimitIsRefusedFromMemoryUntilItsResetWithoutAScriptCall() throws Exception {
        RateLimiter limiter = new RateLimiter(first);
        Policy policy = policy("remembered", 2, Duration.ofMillis(1000));
        assertThat(limiter.decide(policy, "m").allowed()).isTrue();
        assertThat(limiter.decide(policy, "m").allowed()).isTrue();
        long scriptsBefore = scriptCalls();

        for (int i = 0; i < 50; i++) {
            RateLimiter.Decision refused = limiter.decide(policy, "m");
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.resetMillis()).isBetween(1L, 1050L);
        }
        assertThat(scriptCalls() - scriptsBefore).as("no Redis call while the client is known to be refused").isZero();
        assertThat(limiter.refusedFromMemory()).isEqualTo(50);

        Thread.sleep(1100);
        assertThat(limiter.decide(policy, "m").allowed()).as("after the reset, Redis decides again and admits").isTrue();
        assertThat(scriptCalls() - scriptsBefore).isEqualTo(1);
    }

    @Test
    void aRefusalRememberedByOneLimiterNeverAdmitsEarlierThanRedisWouldThroughAnother() throws Exception {
        Policy policy = policy("shared", 3, Duration.ofMillis(800));
        RateLimiter one = new RateLimiter(first);
        RateLimiter other = new RateLimiter(second);
        int[] turn = {0};
        List<long[]> admitted = admissions(() -> (turn[0]++ % 2 == 0 ? one : other).decide(policy, "x"), Duration.ofMillis(2500), 2);
        neverMoreThan(3, Duration.ofMillis(800), admitted);
        assertThat(admitted).as("both limiters keep admitting window after window").hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void refusalsInMemoryStayBounded() {
        long[] now = {0};
        Refusals refusals = new Refusals(() -> now[0]);
        for (int i = 0; i < Refusals.MAX; i++) {
            refusals.refuse("old-" + i, 10);
        }
        now[0] = 20_000_000; // 20 ms later: all of those have expired
        refusals.refuse("new", 10);
        assertThat(refusals.size()).isEqualTo(1);
        assertThat(refusals.refusedMillis("new")).isEqualTo(10);
        assertThat(refusals.refusedMillis("old-1")).isZero();
        now[0] += 10_000_000;
        assertThat(refusals.refusedMillis("new")).as("forgotten at its reset").isZero();
    }

    /** Script calls the server has run (EVAL and EVALSHA), from INFO commandstats. */
    static long scriptCalls() {
        Map<String, String> stats = first.getRedisNodes(RedisNodes.SINGLE).getInstance().info(RedisNode.InfoSection.COMMANDSTATS);
        return Stream.of("cmdstat_eval", "cmdstat_evalsha").map(stats::get).filter(Objects::nonNull)
                .mapToLong(stat -> Long.parseLong(stat.replaceAll("^calls=(\\d+),.*$", "$1"))).sum();
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
        List<long[]> admitted = admissions(() -> limiter.decide(policy, "s"), Duration.ofMillis(3500), 5);
        neverMoreThan(10, Duration.ofMillis(1000), admitted);
        assertThat(admitted.size()).as("and the limit is nearly reached: at least 3 windows' worth").isGreaterThanOrEqualTo(25);
    }

    /** Decides every {@code pauseMillis} for {@code run}: when each admitted request was sent and answered (nanoTime). */
    static List<long[]> admissions(java.util.function.Supplier<RateLimiter.Decision> decide, Duration run, long pauseMillis)
            throws InterruptedException {
        List<long[]> admitted = new ArrayList<>();
        long end = System.nanoTime() + run.toNanos();
        while (System.nanoTime() < end) {
            long sent = System.nanoTime();
            if (decide.get().allowed()) {
                admitted.add(new long[]{sent, System.nanoTime()});
            }
            Thread.sleep(pauseMillis);
        }
        return admitted;
    }

    /**
     * No {@code limit + 1} admissions within one window: Redis decided each admission between its
     * sending and its answer, so the first was decided no earlier than it was sent and the last no
     * later than it was answered; a slow answer (a busy machine) widens that span and cannot fail it.
     */
    static void neverMoreThan(int limit, Duration window, List<long[]> admitted) {
        for (int k = 0; k + limit < admitted.size(); k++) {
            assertThat(admitted.get(k + limit)[1] - admitted.get(k)[0]).as(limit + 1 + " admissions never fit in one window")
                    .isGreaterThanOrEqualTo(window.toNanos());
        }
    }

    @Test
    void aClientCostsASmallFixedAmountOfRedisMemoryWhateverTheLimit() throws Exception {
        RateLimiter limiter = new RateLimiter(first);
        Policy huge = policy("huge", 100_000, Duration.ofMillis(2100)); // 21 buckets of 100 ms
        long end = System.nanoTime() + Duration.ofMillis(2300).toNanos();
        int decisions = 0;
        while (System.nanoTime() < end) { // admissions in every bucket of the window, and a lease: the worst case
            assertThat(limiter.decide(huge, "busy").allowed()).isTrue();
            decisions++;
            Thread.sleep(1); // leased permits are handed out from memory: unpaced, the loop would reach the limit
        }
        Long buckets = first.getScript(org.redisson.client.codec.StringCodec.INSTANCE).eval(
                org.redisson.api.RScript.Mode.READ_ONLY, "return redis.call('HLEN', KEYS[1])",
                org.redisson.api.RScript.ReturnType.LONG, List.<Object>of(RateLimiter.PREFIX + "huge:busy"));
        assertThat(buckets).as("every bucket of the window holds admissions (and the lease field)").isGreaterThanOrEqualTo(20L);
        assertThat(limiter.admittedFromLeases()).as("the client was busy enough for leases").isPositive();
        System.out.println("RateLimiterTest: " + decisions + " admissions in " + buckets + " buckets");
        Long bytes = first.getScript(org.redisson.client.codec.StringCodec.INSTANCE).eval(
                org.redisson.api.RScript.Mode.READ_ONLY, "return redis.call('MEMORY', 'USAGE', KEYS[1])",
                org.redisson.api.RScript.ReturnType.LONG, List.<Object>of(RateLimiter.PREFIX + "huge:busy"));
        System.out.println("RateLimiterTest: MEMORY USAGE of one client, all buckets filled: " + bytes + " bytes");
        assertThat(bytes).as("bytes for one client").isLessThan(512);
        limiter.close();
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
