package dev.larder.kit.events.control;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One Server-Sent-Events client. Sends never block the relay: each goes out asynchronously, and a
 * client with more than {@value #MAX_UNSENT} events not yet written (a slow or stalled reader) is
 * dropped, so it cannot delay anyone else or hold memory. While its replay of missed events runs,
 * live events are held (up to {@value #MAX_HELD}, else it is dropped); then the held ones newer than
 * the last replayed one are sent, in order, and live events flow. No event is sent twice.
 */
public final class Subscriber {

    static final int MAX_UNSENT = 256;
    static final int MAX_HELD = 1_000;

    private final SseEventSink sink;
    private final Function<EventLog.Event, OutboundSseEvent> format;
    private final OutboundSseEvent keepAlive;
    private final Predicate<EventLog.Event> wanted;
    private final AtomicInteger unsent = new AtomicInteger();
    private volatile String lastSent;
    private volatile boolean live;
    private final java.util.List<EventLog.Event> held = new java.util.ArrayList<>();

    /**
     * @param format     how an event of the log goes on the wire
     * @param keepAlive  the heartbeat comment
     * @param startAfter the last event the client had (its {@code Last-Event-ID}), or null
     */
    public Subscriber(SseEventSink sink, Function<EventLog.Event, OutboundSseEvent> format, OutboundSseEvent keepAlive,
                      Predicate<EventLog.Event> wanted, String startAfter) {
        this.sink = sink;
        this.format = format;
        this.keepAlive = keepAlive;
        this.wanted = wanted;
        this.lastSent = startAfter;
    }

    /** Sends an event from the log, if this client wants it and has not had it; false once the client is gone. */
    synchronized boolean offer(EventLog.Event event, boolean fromReplay) {
        if (sink.isClosed()) {
            return false;
        }
        if (!fromReplay && !live) {
            held.add(event);
            return held.size() <= MAX_HELD;
        }
        if (lastSent != null && EventLog.compare(event.id(), lastSent) <= 0) {
            return true;
        }
        lastSent = event.id();
        if (!wanted.test(event)) {
            return true;
        }
        return send(format.apply(event));
    }

    /** Replay is over: what was held meanwhile goes out, and live events flow from now on. */
    synchronized boolean goLive() {
        live = true;
        for (EventLog.Event event : held) {
            if (!offer(event, true)) {
                return false;
            }
        }
        held.clear();
        return true;
    }

    /** A comment line that keeps an idle connection (and proxies on the way) open. */
    OutboundSseEvent heartbeat() {
        return keepAlive;
    }

    /** Something to say that is not in the log (a heartbeat comment, a reload request). */
    public synchronized boolean say(OutboundSseEvent event) {
        return !sink.isClosed() && send(event);
    }


    void close() {
        try {
            sink.close();
        } catch (RuntimeException alreadyGone) {
            // the client went away first
        }
    }

    private boolean send(OutboundSseEvent event) {
        if (unsent.incrementAndGet() > MAX_UNSENT) {
            close();
            return false;
        }
        sink.send(event).whenComplete((done, error) -> {
            unsent.decrementAndGet();
            if (error != null) {
                close();
            }
        });
        return true;
    }
}
