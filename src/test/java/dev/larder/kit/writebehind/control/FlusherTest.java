package dev.larder.kit.writebehind.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.kit.writebehind.entity.Delta;
import dev.larder.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The flusher on a real redis-server, with two consumers standing for two instances and, for the
 * database, a store that keeps applied entry ids the way {@code larder_applied_entries} does.
 */
class FlusherTest {

    static final Duration MIN_IDLE = Duration.ofMillis(300);

    static RedisServer redis;
    static RedissonClient first;
    static RedissonClient second;
    static RedisBreaker breaker;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        first = redis.client("dev.larder.");
        second = redis.client("dev.larder.");
        breaker = new RedisBreaker(() -> true, Duration.ofMillis(100));
    }

    @AfterAll
    static void stop() throws Exception {
        breaker.close();
        first.shutdown();
        second.shutdown();
        redis.close();
    }

    /** The database: applied entry ids and counts, committed together or not at all. */
    static final class Store implements Flusher.Sink {
        final Set<String> applied = ConcurrentHashMap.newKeySet();
        final Map<String, Long> counts = new ConcurrentHashMap<>();
        final AtomicBoolean failNext = new AtomicBoolean();

        @Override
        public synchronized void apply(String log, List<Delta> deltas) {
            if (failNext.getAndSet(false)) {
                throw new IllegalStateException("the transaction rolled back");
            }
            deltas.stream().filter(d -> applied.add(d.id())).forEach(d -> counts.merge(d.key(), d.amount(), Long::sum));
        }
    }

    static String name() {
        return "test-" + UUID.randomUUID();
    }

    @Test
    void flushesEveryAcceptedDeltaOnceInBatchesAndLeavesTheStreamEmpty() {
        String name = name();
        CounterLog log = new CounterLog(first, breaker, name);
        Store store = new Store();
        for (int i = 0; i < 250; i++) {
            assertThat(log.add(String.valueOf(i % 3), 1, 0)).matches("[0-9]+-[0-9]+");
        }

        int flushed = new Flusher(log, "a", 100, MIN_IDLE, store).flush();

        assertThat(flushed).isEqualTo(250);
        assertThat(store.counts).containsExactlyInAnyOrderEntriesOf(Map.of("0", 84L, "1", 83L, "2", 83L));
        assertThat(first.getStream(log.stream, StringCodec.INSTANCE).size()).as("only unflushed entries stay").isZero();
        assertThat(log.total("0")).isEqualTo(84L);
    }

    @Test
    void anotherConsumerClaimsWhatADeadConsumerHeldAndNothingCountsTwice() throws Exception {
        String name = name();
        CounterLog onA = new CounterLog(first, breaker, name);
        CounterLog onB = new CounterLog(second, breaker, name);
        Store store = new Store();
        for (int i = 0; i < 40; i++) {
            onA.add("p", 1, 0);
        }
        onA.ensureGroup();
        List<Delta> heldByA = onA.read("a", 25); // A reads a batch, then dies before its commit
        assertThat(heldByA).hasSize(25);
        Flusher b = new Flusher(onB, "b", 100, MIN_IDLE, store);

        assertThat(b.flush()).as("before min idle, B takes only the new entries").isEqualTo(15);
        Thread.sleep(MIN_IDLE.toMillis() + 100);
        assertThat(b.flush()).as("after min idle, B claims what A held").isEqualTo(25);

        assertThat(store.counts).containsEntry("p", 40L);
        assertThat(second.getStream(onB.stream, StringCodec.INSTANCE).size()).isZero();
        assertThat(onA.acknowledge(heldByA.stream().map(Delta::id).toList())).as("A's late acknowledgement changes nothing").isZero();
    }

    @Test
    void anEntryAppliedButNotAcknowledgedIsClaimedAgainAndSkipped() throws Exception {
        String name = name();
        CounterLog onA = new CounterLog(first, breaker, name);
        CounterLog onB = new CounterLog(second, breaker, name);
        Store store = new Store();
        for (int i = 0; i < 10; i++) {
            onA.add("p", 2, 0);
        }
        onA.ensureGroup();
        List<Delta> read = onA.read("a", 10);
        store.apply(name, read); // A committed, then died before XACK

        Thread.sleep(MIN_IDLE.toMillis() + 100);
        assertThat(new Flusher(onB, "b", 100, MIN_IDLE, store).flush()).isEqualTo(10);

        assertThat(store.counts).as("claimed and skipped: counted once").containsEntry("p", 20L);
        assertThat(second.getStream(onB.stream, StringCodec.INSTANCE).size()).isZero();
    }

    @Test
    void aFailedTransactionLeavesTheBatchPendingUntilItIsClaimed() throws Exception {
        CounterLog log = new CounterLog(first, breaker, name());
        Store store = new Store();
        for (int i = 0; i < 5; i++) {
            log.add("p", 1, 0);
        }
        Flusher flusher = new Flusher(log, "a", 100, MIN_IDLE, store);
        store.failNext.set(true);

        assertThatThrownBy(flusher::flush).hasMessageContaining("rolled back");
        assertThat(flusher.flush()).as("pending, not new: nothing to read before min idle").isZero();
        Thread.sleep(MIN_IDLE.toMillis() + 100);
        assertThat(flusher.flush()).isEqualTo(5);

        assertThat(store.counts).containsEntry("p", 5L);
    }

    @Test
    void drainFlushesWhatThisConsumerHoldsWithoutWaitingForMinIdle() {
        CounterLog log = new CounterLog(first, breaker, name());
        Store store = new Store();
        for (int i = 0; i < 7; i++) {
            log.add("p", 1, 0);
        }
        log.ensureGroup();
        log.read("a", 4);

        assertThat(new Flusher(log, "a", 100, Duration.ofHours(1), store).drain()).isEqualTo(7);
        assertThat(store.counts).containsEntry("p", 7L);
    }

    @Test
    void theOldestEntryStillInTheStreamBoundsWhatCanBeForgotten() {
        CounterLog log = new CounterLog(first, breaker, name());
        assertThat(log.oldestMillis()).as("no stream yet").isNull();
        String firstId = log.add("p", 1, 0);
        log.add("p", 1, 0);
        assertThat(log.oldestMillis()).isEqualTo(millis(firstId));

        log.ensureGroup();
        List<Delta> read = log.read("a", 1);
        log.acknowledge(read.stream().map(Delta::id).toList());
        String last = log.add("p", 1, 0);
        assertThat(log.oldestMillis()).as("the first left; the second is still in").isGreaterThanOrEqualTo(millis(firstId))
                .isLessThanOrEqualTo(millis(last));

        new Flusher(log, "a", 100, MIN_IDLE, new Store()).flush();
        assertThat(log.oldestMillis()).as("empty: the last id generated").isEqualTo(millis(last));
    }

    static long millis(String id) {
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    @Test
    void theTotalStartsAtTheSeedAndCountsEveryAcceptedDelta() {
        CounterLog log = new CounterLog(first, breaker, name());
        assertThat(log.total("p")).isNull();

        log.add("p", 1, 41);
        log.add("p", 1, 999);

        assertThat(log.total("p")).as("seeded once, from the database's count").isEqualTo(43L);
        assertThat(first.getKeys().remainTimeToLive(log.totals)).isPositive();
    }

    /** A product read overlaps this round trip with its cache lookup: the total is read when asked for, not when collected. */
    @Test
    void aTotalAskedForLaterIsReadWhenAskedFor() throws InterruptedException {
        CounterLog log = new CounterLog(first, breaker, name());
        log.add("p", 1, 41);

        CounterLog.Total asked = log.totalLater("p");
        Thread.sleep(100); // its answer is back before the next view is counted
        log.add("p", 1, 0);

        assertThat(asked.get()).as("the total when it was asked for").isEqualTo(42L);
        assertThat(log.totalLater("p").get()).isEqualTo(43L);
        assertThat(log.totalLater("unknown").get()).isNull();
    }

    @Test
    void theGroupIsCreatedAgainWhenRedisLostTheStreamWithoutOpeningTheBreaker() {
        CounterLog log = new CounterLog(first, breaker, name());
        Store store = new Store();
        log.add("p", 1, 0);
        Flusher flusher = new Flusher(log, "a", 100, MIN_IDLE, store);
        assertThat(flusher.flush()).isEqualTo(1);

        first.getKeys().delete(log.stream); // as after a restart without persistence
        log.add("p", 1, 0);
        long opened = breaker.timesOpened();
        assertThatThrownBy(flusher::flush).hasMessageContaining("NOGROUP");
        assertThat(breaker.timesOpened()).as("a lost group is about the data, not an outage: the shared breaker stays closed").isEqualTo(opened);

        assertThat(flusher.flush()).isEqualTo(1);
        assertThat(store.counts).containsEntry("p", 2L);
    }
}
