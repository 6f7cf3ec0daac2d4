package dev.larder.kit.caching.control;

import dev.larder.kit.caching.entity.PendingInvalidation;
import dev.larder.kit.redis.control.RedisBreaker;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import dev.larder.kit.redis.control.RedisConnection;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Carries out recorded invalidations in Redis (delete the entry, fence its loaders, tell every
 * instance; or invalidate the whole cache), then deletes their rows. It runs right after each commit
 * for that transaction's own rows, and every {@code larder.caching.outbox.interval} on every instance
 * for rows older than {@code larder.caching.outbox.grace} (left behind by a Redis outage, an instance
 * cut off from Redis, or an instance that died after its commit). And when this instance's breaker
 * is about to close after an outage, it first relays every row, whatever its age: during the outage
 * this instance served from the database, and it must not go back to reading Redis while Redis may
 * still hold a value older than those commits. Carrying out an invalidation twice is harmless, so
 * instances need not coordinate.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());
    static final int BATCH = 500;
    /** Stands for "the whole cache" among the keys (a key is never this: CacheKeys escapes backslashes). */
    private static final String ALL = "\\all";

    @Inject
    CacheRegistry registry;

    @Inject
    OutboxRows rows;

    @Inject
    RedisBreaker breaker;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource
    ContextService context;

    private Duration grace;
    private ScheduledFuture<?> sweeping;
    private volatile boolean databaseFailing;

    void start(@Observes @Priority(RedisConnection.FIRST + 20) @Initialized(ApplicationScoped.class) Object deployed) {
        var config = ConfigProvider.getConfig(OutboxRelay.class.getClassLoader());
        Duration interval = config.getOptionalValue("larder.caching.outbox.interval", String.class).map(Duration::parse)
                .orElse(Duration.ofMillis(500));
        grace = config.getOptionalValue("larder.caching.outbox.grace", String.class).map(Duration::parse)
                .orElse(Duration.ofSeconds(1));
        sweeping = scheduler.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        // the breaker's probe thread is not a managed one: give the step this application's context
        breaker.beforeClosing(context.createContextualProxy((BooleanSupplier) () -> breaker.whileRecovering(this::relayEverything),
                BooleanSupplier.class));
    }

    @PreDestroy
    void stop() {
        if (sweeping != null) {
            sweeping.cancel(false);
        }
    }

    /** Right after a commit, on the committing thread: this transaction's own invalidations. */
    void afterCommit(List<PendingInvalidation> recorded) {
        List<Long> done = carryOut(recorded);
        if (!done.isEmpty()) {
            scheduler.execute(() -> forget(done));
        }
    }

    /** Every interval: whatever is left over, from any instance. */
    void sweep() {
        if (!breaker.closed()) {
            return;
        }
        try {
            List<PendingInvalidation> due = rows.due(System.currentTimeMillis() - grace.toMillis(), BATCH);
            databaseFailing = false;
            if (!due.isEmpty()) {
                LOG.fine(() -> "Relaying " + due.size() + " invalidations left in the outbox");
                forget(carryOut(due));
            }
        } catch (RuntimeException e) {
            if (!databaseFailing) {
                databaseFailing = true;
                LOG.log(Level.WARNING, "Cannot read the cache outbox; retrying every interval", e);
            }
        }
    }

    /** Every row, whatever its age; false if Redis failed again meanwhile. */
    private boolean relayEverything() {
        List<PendingInvalidation> due;
        try {
            due = rows.due(Long.MAX_VALUE, BATCH);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot read the cache outbox while Redis comes back; the sweep will relay it", e);
            return true; // the database is the trouble now, not Redis: do not keep the cache off for it
        }
        List<Long> done = carryOut(due);
        forget(done);
        if (done.size() < due.size()) {
            return false; // Redis failed again
        }
        return due.size() < BATCH || relayEverything();
    }

    /**
     * Carries out each distinct invalidation once (a long outage leaves many rows for the same keys,
     * and one invalidate-all per cache covers every key of that cache); the ids of every row covered,
     * up to the first that Redis could not take.
     */
    private List<Long> carryOut(List<PendingInvalidation> pending) {
        java.util.Map<String, java.util.Map<String, List<Long>>> byCache = new java.util.LinkedHashMap<>();
        for (PendingInvalidation p : pending) {
            byCache.computeIfAbsent(p.cacheName(), c -> new java.util.LinkedHashMap<>())
                    .computeIfAbsent(p.cacheKey() == null ? ALL : p.cacheKey(), k -> new ArrayList<>()).add(p.id());
        }
        List<Long> done = new ArrayList<>();
        for (var cache : byCache.entrySet()) {
            NamedCache named = registry.cache(cache.getKey());
            if (cache.getValue().containsKey(ALL)) {
                if (!named.invalidateAll()) {
                    return done; // Redis is unavailable: the rest waits for the next sweep
                }
                cache.getValue().values().forEach(done::addAll);
                continue;
            }
            for (var key : cache.getValue().entrySet()) {
                if (!named.removeKey(key.getKey())) {
                    return done;
                }
                done.addAll(key.getValue());
            }
        }
        return done;
    }

    private void forget(List<Long> ids) {
        try {
            rows.delete(ids);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not delete " + ids.size() + " relayed invalidations; they will be relayed again", e);
        }
    }
}
