package dev.larder.kit.events.control;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One Server-Sent-Events client. Nothing the relay does waits for it: events are put in its own
 * queue and written by a task of its own on the relay's sender threads, one at a time and in order
 * (a container's {@link SseEventSink#send} may write on the caller's thread and block while the
 * client does not read). A client with {@value #MAX_QUEUED} events queued (a slow or stalled reader)
 * is dropped, so it cannot delay anyone else or hold more than that in memory (shop events are about
 * a hundred bytes). While its replay of missed events runs,
 * live events are held (up to {@value #MAX_HELD}, else it is dropped), and the replay waits for room
 * in the queue instead (the request's own thread, never the relay's); then the held ones newer than
 * the last replayed one are queued, in order, and live events flow. No event is sent twice.
 */
public final class Subscriber {

    /** More than the relay reads at once ({@link EventRelay#READ_COUNT}), so a burst alone never drops a reading client. */
    static final int MAX_QUEUED = 1_000;
    static final int MAX_HELD = 1_000;
    /** How long a replay waits for the client to take an event before it gives up on the client. */
    static final Duration REPLAY_WAIT = Duration.ofSeconds(10);
    /** How long a send may take to complete, for a sink that completes its sends later. */
    static final Duration SEND_WAIT = Duration.ofSeconds(30);

    private final SseEventSink sink;
    private final Executor senders;
    private final Function<EventLog.Event, OutboundSseEvent> format;
    private final OutboundSseEvent keepAlive;
    private final Predicate<EventLog.Event> wanted;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition taken = lock.newCondition();
    private final Deque<OutboundSseEvent> queue = new ArrayDeque<>();
    private final Deque<EventLog.Event> held = new ArrayDeque<>();
    private String lastSent;
    private boolean live;
    private boolean sending;
    private boolean dropped;

    /**
     * @param senders    where this client's sends run (one task at a time per client)
     * @param format     how an event of the log goes on the wire
     * @param keepAlive  the heartbeat comment
     * @param startAfter the last event the client had (its {@code Last-Event-ID}), or null
     */
    public Subscriber(SseEventSink sink, Executor senders, Function<EventLog.Event, OutboundSseEvent> format,
                      OutboundSseEvent keepAlive, Predicate<EventLog.Event> wanted, String startAfter) {
        this.sink = sink;
        this.senders = senders;
        this.format = format;
        this.keepAlive = keepAlive;
        this.wanted = wanted;
        this.lastSent = startAfter;
    }

    /** A live event from the relay: queued (or held during the replay) without waiting; false once the client is gone. */
    boolean offer(EventLog.Event event) {
        lock.lock();
        try {
            if (gone()) {
                return false;
            }
            if (!live) {
                held.add(event);
                return held.size() <= MAX_HELD || drop();
            }
            return queueIfNew(event, false);
        } finally {
            lock.unlock();
        }
    }

    /** A missed event, from the request's thread: waits (bounded) for room in the queue; false once the client is gone. */
    boolean replay(EventLog.Event event) {
        lock.lock();
        try {
            return !gone() && queueIfNew(event, true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replay is over: what was held meanwhile is queued, in order, and once the client has taken all
     * but half a queue of it, live events flow (a live event never finds the queue full of the replay).
     */
    boolean goLive() {
        lock.lock();
        try {
            while (!gone()) {
                while (!held.isEmpty()) { // the relay adds to it while this waits
                    if (!replay(held.poll())) {
                        return false;
                    }
                }
                if (queue.size() <= MAX_QUEUED / 2) {
                    live = true;
                    return true;
                }
                if (!awaitTaken(REPLAY_WAIT.toNanos())) {
                    return drop();
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** A comment line that keeps an idle connection (and proxies on the way) open. */
    OutboundSseEvent heartbeat() {
        return keepAlive;
    }

    /** Something to say that is not in the log (a heartbeat comment, a reload request); never waits. */
    public boolean say(OutboundSseEvent event) {
        lock.lock();
        try {
            return !gone() && queue(event, false);
        } finally {
            lock.unlock();
        }
    }

    void close() {
        try {
            sink.close();
        } catch (RuntimeException alreadyGone) {
            // the client went away first
        }
    }

    private boolean queueIfNew(EventLog.Event event, boolean waitForRoom) {
        if (lastSent != null && EventLog.compare(event.id(), lastSent) <= 0) {
            return true;
        }
        lastSent = event.id();
        return !wanted.test(event) || queue(format.apply(event), waitForRoom);
    }

    private boolean queue(OutboundSseEvent event, boolean waitForRoom) {
        while (queue.size() >= MAX_QUEUED && !gone()) {
            if (!waitForRoom || !awaitTaken(REPLAY_WAIT.toNanos())) {
                return drop();
            }
        }
        if (gone()) {
            return false;
        }
        queue.add(event);
        if (!sending) {
            sending = true;
            try {
                senders.execute(this::send);
            } catch (RejectedExecutionException shuttingDown) {
                return drop();
            }
        }
        return true;
    }

    /** The sender task: writes what is queued, one event at a time, until the queue is empty. */
    private void send() {
        while (true) {
            OutboundSseEvent next;
            lock.lock();
            try {
                next = dropped ? null : queue.poll();
                if (next == null) {
                    sending = false;
                    return;
                }
                taken.signalAll();
            } finally {
                lock.unlock();
            }
            if (!write(next)) {
                lock.lock();
                try {
                    sending = false;
                    drop();
                } finally {
                    lock.unlock();
                }
                return;
            }
        }
    }

    private boolean write(OutboundSseEvent event) {
        try {
            sink.send(event).toCompletableFuture().get(SEND_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException failed) {
            return false; // the client went away, or its send never completed
        }
    }

    /** Waits (holding the lock, which waiting releases) until the sender takes an event; false if none was taken in time. */
    private boolean awaitTaken(long nanos) {
        try {
            return taken.awaitNanos(nanos) > 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean gone() {
        return dropped || sink.isClosed();
    }

    /** Gives up on this client: nothing more is queued or sent, and the sink is closed off the caller's thread. */
    private boolean drop() {
        if (!dropped) {
            dropped = true;
            queue.clear();
            held.clear();
            taken.signalAll();
            try {
                senders.execute(this::close); // closing may flush, and so block, like a send
            } catch (RejectedExecutionException shuttingDown) {
                close();
            }
        }
        return false;
    }
}
