package dev.larder.kit.caching.control;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/** Counters of one cache on this instance, since start. */
public class CacheStatistics {

    final LongAdder misses = new LongAdder();
    final LongAdder loads = new LongAdder();
    final LongAdder loadFailures = new LongAdder();
    final LongAdder loadNanos = new LongAdder();
    final LongAdder puts = new LongAdder();
    final LongAdder removals = new LongAdder();
    final LongAdder nearHits = new LongAdder();
    final LongAdder remoteHits = new LongAdder();
    final LongAdder leaseWaits = new LongAdder();
    final LongAdder earlyRefreshes = new LongAdder();
    final LongAdder invalidationsReceived = new LongAdder();
    final LongAdder responseHits = new LongAdder();
    private volatile LongConsumer loadTimes = nanos -> {
    };

    /** The counters of {@code cache}, for the metrics and statistics that watch it. */
    public static CacheStatistics of(NamedCache cache) {
        return cache.statistics;
    }

    /** Tells {@code times} how long each successful load of this cache took, in nanoseconds (one listener; the last one set wins). */
    public void whenLoaded(LongConsumer times) {
        loadTimes = times;
    }

    void loaded(long nanos) {
        loads.increment();
        loadNanos.add(nanos);
        loadTimes.accept(nanos);
    }

    public CacheStats snapshot(String name) {
        long loadCount = loads.sum();
        double averageLoadMillis = loadCount == 0 ? 0 : loadNanos.sum() / 1e6 / loadCount;
        long near = nearHits.sum();
        long remote = remoteHits.sum();
        long response = responseHits.sum();
        return new CacheStats(name, near + remote + response, misses.sum(), loadCount, loadFailures.sum(),
                Math.round(averageLoadMillis * 1000) / 1000.0, puts.sum(), removals.sum(),
                0, near, remote, leaseWaits.sum(), earlyRefreshes.sum(), invalidationsReceived.sum(),
                response);
    }
}
