package dev.larder.kit.events.control;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import jakarta.ws.rs.core.MediaType;
import java.lang.reflect.Type;
import org.junit.jupiter.api.Test;

/** A client of the event relay, against a sink that records what it is given (no server needed). */
class SubscriberTest {

    /** A sink whose sends complete only when the test says so: a reader as slow as it likes. */
    static final class Sink implements SseEventSink {
        final List<OutboundSseEvent> sent = new ArrayList<>();
        final List<CompletableFuture<?>> pending = new ArrayList<>();
        boolean closed;
        boolean stalled;

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public CompletionStage<?> send(OutboundSseEvent event) {
            sent.add(event);
            CompletableFuture<Object> done = new CompletableFuture<>();
            if (stalled) {
                pending.add(done);
            } else {
                done.complete(null);
            }
            return done;
        }

        @Override
        public void close() {
            closed = true;
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

    static Subscriber subscriber(Sink sink, String startAfter) {
        return new Subscriber(sink, e -> new Wire(e.id(), e.type(), null, e.data()), new Wire(null, null, "keep-alive", null),
                e -> true, startAfter);
    }

    static EventLog.Event event(int n) {
        return new EventLog.Event("1000-" + n, "inventory", "{\"productId\":1,\"stock\":" + n + "}");
    }

    @Test
    void aStalledClientIsDroppedInsteadOfHoldingEveryoneElse() {
        Sink sink = new Sink();
        sink.stalled = true;
        Subscriber subscriber = subscriber(sink, null);
        subscriber.goLive();

        int accepted = 0;
        for (int n = 1; n <= Subscriber.MAX_UNSENT + 10 && subscriber.offer(eventOf(n), false); n++) {
            accepted++;
        }

        assertThat(accepted).isEqualTo(Subscriber.MAX_UNSENT);
        assertThat(sink.closed).isTrue();
    }

    @Test
    void liveEventsDuringTheReplayAreHeldAndNothingIsSentTwice() {
        Sink sink = new Sink();
        Subscriber subscriber = subscriber(sink, "1000-0");

        assertThat(subscriber.offer(eventOf(3), false)).isTrue(); // live, while the replay runs: held
        assertThat(sink.sent).isEmpty();
        subscriber.offer(eventOf(1), true);
        subscriber.offer(eventOf(2), true);
        subscriber.offer(eventOf(3), true); // the replay reached it too
        subscriber.goLive();
        subscriber.offer(eventOf(4), false);

        assertThat(sink.sent).extracting(OutboundSseEvent::getId).containsExactly("1000-1", "1000-2", "1000-3", "1000-4");
    }

    private static EventLog.Event eventOf(int n) {
        return event(n);
    }
}
