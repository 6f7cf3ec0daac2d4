package dev.larder.kit.writebehind.control;

import dev.larder.kit.writebehind.entity.Delta;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One consumer of a {@link CounterLog}: each {@link #flush} first takes over entries left pending
 * too long on any consumer (one that died, or whose database transaction failed), then reads new
 * ones, a batch at a time; each batch goes to the {@link Sink} (one database transaction) and is
 * acknowledged only after it returned. A failure leaves the batch pending, to be claimed after
 * {@code minIdle}; the sink skips entries it applied before, so nothing counts twice.
 */
public class Flusher {

    /** Applies a batch in one transaction, skipping entries applied before; throws if nothing was committed. */
    @FunctionalInterface
    public interface Sink {
        void apply(String log, List<Delta> deltas);
    }

    /** Batches per round at most, so that a round (and the shutdown waiting for it) ends under any load. */
    static final int MAX_BATCHES = 20;

    private final CounterLog log;
    private final String consumer;
    private final int batch;
    private final Duration minIdle;
    private final Sink sink;
    private final ReentrantLock running = new ReentrantLock();
    private volatile boolean groupReady;

    public Flusher(CounterLog log, String consumer, int batch, Duration minIdle, Sink sink) {
        this.log = log;
        this.consumer = consumer;
        this.batch = batch;
        this.minIdle = minIdle;
        this.sink = sink;
    }

    /** One round: claimed entries, then new ones until a read returns less than a batch (or {@value #MAX_BATCHES} batches); how many were flushed. */
    public int flush() {
        running.lock();
        try {
            if (!ready()) {
                return 0;
            }
            int flushed = handle(log.claim(consumer, minIdle, batch));
            List<Delta> read;
            int batches = 0;
            do {
                read = log.read(consumer, batch);
                flushed += handle(read);
            } while (read != null && read.size() == batch && ++batches < MAX_BATCHES);
            return flushed;
        } catch (CounterLog.NoGroupException e) {
            groupReady = false; // Redis lost the stream (a restart): create the group again next round
            throw e;
        } finally {
            running.unlock();
        }
    }

    /** At shutdown, after the last scheduled round: what this consumer still holds, then what is new. */
    public int drain() {
        running.lock();
        try {
            return ready() ? handle(log.own(consumer, batch)) + flush() : 0;
        } finally {
            running.unlock();
        }
    }

    private boolean ready() {
        if (!groupReady) {
            groupReady = log.ensureGroup();
        }
        return groupReady;
    }

    private int handle(List<Delta> deltas) {
        if (deltas == null || deltas.isEmpty()) {
            return 0;
        }
        sink.apply(log.name(), deltas);
        log.acknowledge(deltas.stream().map(Delta::id).toList()); // unavailable: pending until claimed, then skipped by the sink
        return deltas.size();
    }
}
