package dev.larder.kit.metrics.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Counters of the registry that follow monotonic counts kept elsewhere: every second each one is
 * raised by what its source counted since (a source never goes down; if it did, the counter waits
 * for it to catch up).
 */
@ApplicationScoped
public class MirroredCounters {

    private static final Logger LOG = Logger.getLogger(MirroredCounters.class.getName());
    static final long PERIOD_MILLIS = 1000;

    @Inject
    MetricRegistry registry;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final List<Mirror> mirrors = new CopyOnWriteArrayList<>();
    private ScheduledFuture<?> syncing;

    record Mirror(Counter counter, LongSupplier source) {
        synchronized void sync() {
            long behind = source.getAsLong() - counter.getCount();
            if (behind > 0) {
                counter.inc(behind);
            }
        }
    }

    @PostConstruct
    void start() {
        syncing = scheduler.scheduleWithFixedDelay(this::syncAll, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        syncing.cancel(false);
    }

    /** Registers counter {@code name} (unit none) that follows {@code source}. */
    public void mirror(String name, String description, LongSupplier source, Tag... tags) {
        Mirror mirror = new Mirror(registry.counter(count(name, description), tags), source);
        mirror.sync();
        mirrors.add(mirror);
    }

    /** Metadata of a count: its name, its description, unit none. */
    public static Metadata count(String name, String description) {
        return Metadata.builder().withName(name).withDescription(description).withUnit(MetricUnits.NONE).build();
    }

    void syncAll() {
        for (Mirror mirror : mirrors) {
            try {
                mirror.sync();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "A mirrored counter could not read its source", e);
            }
        }
    }
}
