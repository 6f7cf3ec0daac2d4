package dev.larder.kit.events.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client of the event relay, against sinks that record what they are given (no server needed). */
class SubscriberTest {

    /**
     * A sink that writes on the caller's thread, as Jersey's does: while {@code stalled}, a send blocks
     * (a client that does not read) until the sink is closed or released.
     */
    static final class Sink implements SseEventSink {
        final List<OutboundSseEvent> sent = new CopyOnWriteArrayList<>();
        final CountDownLatch released = new CountDownLatch(1);
        final Duration perSend;
        volatile boolean closed;
        volatile boolean stalled;

        Sink(Duration perSend) {
            this.perSend = perSend;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public CompletionStage<?> send(OutboundSseEvent event) {
            try {
                if (stalled) {
                    released.await(30, TimeUnit.SECONDS);
                }
                Thread.sleep(perSend.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sent.add(event);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            closed = true;
        }

        List<String> ids() {
            return sent.stream().map(OutboundSseEvent::getId).filter(id -> id != null).toList();
        }
    }

    /** An event on the wire, as far as these tests look at it. */
    record Wire(String getId, String getName, String getComment, Object getData) implements OutboundSseEvent {
        @Override public Class<?> getType() { return String.class; }
        @Override public Type getGenericType() { return String.class; }
        @Override public MediaType getMediaType() { return MediaType.APPLICATION_JSON_TYPE; }
        @Override public long getReconnectDelay() { return -1; }
        @Override public boolean isReconnectDelaySet() { return false; }
    }

    final ExecutorService senders = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        senders.shutdownNow();
    }

    Subscriber subscriber(Sink sink, String startAfter) {
        return new Subscriber(sink, senders, e -> new Wire(e.id(), e.type(), null, e.data()), new Wire(null, null, "keep-alive", null),
                e -> true, startAfter);
    }

    static EventLog.Event event(int n) {
        return new EventLog.Event("1000-" + n, "inventory", "{\"productId\":1,\"stock\":" + n + "}");
    }

    static List<String> ids(int from, int to) {
        return java.util.stream.IntStream.rangeClosed(from, to).mapToObj(n -> "1000-" + n).toList();
    }

    static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /**
     * The relay offers to a client that stopped reading and to one that reads, in batches as it reads
     * the log: the relay never waits, the reader gets everything in order, the stalled one is dropped
     * once its queue is full.
     */
    @Test
    void aStalledClientIsDroppedWithoutHoldingTheRelayOrAnyoneElse() throws Exception {
        Sink stalledSink = new Sink(Duration.ZERO);
        stalledSink.stalled = true;
        Sink readingSink = new Sink(Duration.ZERO);
        Subscriber stalled = subscriber(stalledSink, null);
        Subscriber reading = subscriber(readingSink, null);
        stalled.goLive();
        reading.goLive();
        int batches = 3;

        int acceptedByStalled = 0;
        for (int batch = 0; batch < batches; batch++) {
            int first = batch * EventRelay.READ_COUNT + 1;
            int[] accepted = {0};
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
                for (int n = first; n < first + EventRelay.READ_COUNT; n++) {
                    if (stalled.offer(event(n))) {
                        accepted[0]++;
                    }
                    assertThat(reading.offer(event(n))).as("the reading client keeps up with a batch").isTrue();
                }
            }, "offering must never wait for a client");
            acceptedByStalled += accepted[0];
            int sent = first + EventRelay.READ_COUNT - 1;
            await("the reading client got batch " + batch, () -> readingSink.sent.size() == sent);
        }

        assertThat(acceptedByStalled).as("a full queue, and one in its blocked write if the sender took it yet")
                .isBetween(Subscriber.MAX_QUEUED, Subscriber.MAX_QUEUED + 1);
        assertThat(stalled.offer(event(batches * EventRelay.READ_COUNT + 1))).as("dropped for good").isFalse();
        await("the stalled client's sink closed", () -> stalledSink.closed);
        assertThat(readingSink.ids()).containsExactlyElementsOf(ids(1, batches * EventRelay.READ_COUNT));
        stalledSink.released.countDown();
    }

    @Test
    void liveEventsDuringTheReplayAreHeldAndNothingIsSentTwice() throws Exception {
        Sink sink = new Sink(Duration.ZERO);
        Subscriber subscriber = subscriber(sink, "1000-0");

        assertThat(subscriber.offer(event(3))).isTrue(); // live, while the replay runs: held
        subscriber.replay(event(1));
        subscriber.replay(event(2));
        subscriber.replay(event(3)); // the replay reached it too
        subscriber.offer(event(4)); // held as well
        assertThat(subscriber.goLive()).isTrue();
        subscriber.offer(event(5));

        await("five events sent", () -> sink.sent.size() >= 5);
        Thread.sleep(50);
        assertThat(sink.ids()).containsExactlyElementsOf(ids(1, 5));
    }

    /** A long replay to a slow reader waits for it (on the request's thread) instead of dropping it, and stays in order. */
    @Test
    void aReplayLongerThanTheQueueWaitsForTheClientAndLiveEventsFollowInOrder() throws Exception {
        Sink sink = new Sink(Duration.ofMillis(1));
        Subscriber subscriber = subscriber(sink, null);
        int missed = Subscriber.MAX_QUEUED * 3 / 2;

        for (int n = 1; n <= missed; n++) {
            assertThat(subscriber.replay(event(n))).as("replayed %d", n).isTrue();
            if (n % 100 == 0) {
                assertThat(subscriber.offer(event(missed + n / 100))).isTrue(); // live meanwhile: held
            }
        }
        int live = missed / 100;
        assertThat(subscriber.goLive()).isTrue();
        subscriber.offer(event(missed + live + 1));

        await("every event sent", () -> sink.sent.size() == missed + live + 1);
        assertThat(sink.ids()).containsExactlyElementsOf(ids(1, missed + live + 1));
        assertThat(sink.closed).isFalse();
    }

    @Test
    void heartbeatsGoOutThroughTheSameQueueAndAClosedClientIsGone() throws Exception {
        Sink sink = new Sink(Duration.ZERO);
        Subscriber subscriber = subscriber(sink, null);
        subscriber.goLive();

        assertThat(subscriber.say(subscriber.heartbeat())).isTrue();
        await("the heartbeat sent", () -> sink.sent.size() == 1);
        assertThat(sink.sent.get(0).getComment()).isEqualTo("keep-alive");
        sink.close();
        assertThat(subscriber.offer(event(1))).isFalse();
        assertThat(subscriber.say(subscriber.heartbeat())).isFalse();
    }
}
