package dev.larder.kit.writebehind.control;

import dev.larder.kit.metrics.control.MirroredCounters;
import dev.larder.kit.redis.control.RedisBreaker;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.redisson.api.RedissonClient;

/**
 * Starts the write-behind logs of this instance: for each, a {@link Flusher} that runs every
 * {@code larder.writebehind.delay} on a managed thread (so the sink has JPA and JTA), under a
 * consumer name of this instance's own; and once a minute, forgetting the applied entries that left
 * the stream for good and are older than {@code larder.writebehind.keep-applied}. At shutdown each flusher drains what it holds.
 */
@ApplicationScoped
public class WriteBehind {

    private static final Logger LOG = Logger.getLogger(WriteBehind.class.getName());

    @Inject
    RedissonClient redisson;

    @Inject
    RedisBreaker breaker;

    @Inject
    AppliedEntries applied;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    MetricRegistry metrics;

    /** Unique per start; names the process, so that operators (and tests) see whose entries are pending. */
    private final String consumer = "pid-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Flusher> flushers = new CopyOnWriteArrayList<>();
    private final List<ScheduledFuture<?>> schedules = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    /**
     * Starts flushing the log {@code name}; {@code apply} receives the sums per key of each batch
     * inside its database transaction. The log is where writes are appended.
     */
    public CounterLog start(String name, Consumer<Map<String, Long>> apply) {
        Config config = ConfigProvider.getConfig(WriteBehind.class.getClassLoader());
        int batch = config.getOptionalValue("larder.writebehind.batch", Integer.class).orElse(500);
        Duration delay = duration(config, "larder.writebehind.delay", "PT0.5S");
        Duration claimIdle = duration(config, "larder.writebehind.claim-idle", "PT5S");
        Duration keep = duration(config, "larder.writebehind.keep-applied", "PT1H");
        CounterLog log = new CounterLog(redisson, breaker, name);
        Flusher flusher = new Flusher(log, consumer, batch, claimIdle, (stream, deltas) -> applied.apply(stream, deltas, apply));
        flushers.add(flusher);
        Counter flushed = metrics.counter(MirroredCounters.count("larder.writebehind.flushed",
                "Write-behind entries this instance applied to the database (claimed ones included)"), new Tag("log", name));
        schedules.add(scheduler.scheduleWithFixedDelay(() -> flushed.inc(run(flusher)), delay.toMillis(), delay.toMillis(),
                TimeUnit.MILLISECONDS));
        schedules.add(scheduler.scheduleWithFixedDelay(() -> forget(log, keep), 1, 1, TimeUnit.MINUTES));
        LOG.info(() -> "Write-behind log " + log.stream + ": consumer " + consumer + ", batch " + batch + ", every " + delay.toMillis() + " ms");
        return log;
    }

    /** One round of {@code flusher}; how many entries it applied. */
    int run(Flusher flusher) {
        if (!breaker.closed()) {
            return 0;
        }
        try {
            int flushed = flusher.flush();
            failing = false;
            return flushed;
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true; // logged once per failure streak; the entries stay pending and are retried
                LOG.log(Level.WARNING, "A write-behind flush failed; its entries stay pending and are claimed again", e);
            }
            return 0;
        }
    }

    /**
     * Forgets the applied entries that left the stream (older than its oldest entry) and are older
     * than {@code keep}: a flusher that read an entry, stalled that long and then committed it would
     * otherwise count it a second time after another instance claimed and applied it.
     */
    void forget(CounterLog log, Duration keep) {
        try {
            Long oldest = log.oldestMillis();
            if (oldest != null) {
                applied.forgetBefore(log.name(), Math.min(oldest, System.currentTimeMillis() - keep.toMillis()));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not forget applied write-behind entries; next minute", e);
        }
    }

    /**
     * Before the application's beans are destroyed (not in {@code @PreDestroy}: by then the
     * transactional bean and the data source may be gone, and the drain could only fail).
     */
    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object undeploying) {
        schedules.forEach(s -> s.cancel(false));
        for (Flusher flusher : flushers) {
            try {
                flusher.drain();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not flush the write-behind log at shutdown; another instance claims it", e);
            }
        }
    }

    private static Duration duration(Config config, String key, String fallback) {
        return Duration.parse(config.getOptionalValue(key, String.class).orElse(fallback));
    }
}
