package dev.larder.kit.caching.control;

import dev.larder.kit.redis.control.MasterWatch;
import dev.larder.kit.redis.control.RedisConnection;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * After the Redis master changed ({@link MasterWatch}: a failover, a restart), every cache is
 * invalidated before Redis is used again: the new master may hold values whose invalidation it lost
 * (asynchronous replication, or a write to the old master after the promotion). Invalidate-all is a
 * version bump for a versioned cache and one delete of the hash otherwise, and tells every instance;
 * it runs while the breaker is still open, so no request reads Redis in between. Each instance does it
 * when it notices the change itself, so each also clears what it keeps near.
 *
 * <p>Once more, the longest {@code lease-ttl} later, for the caches that are not versioned: a loader
 * that took its lease before the change and read the database before a write whose invalidation was
 * lost still holds a lease the new master knows (the writer's fence was lost with the invalidation),
 * and may store its older value after the first pass. Such a lease lapses within its TTL. A versioned
 * cache needs no second pass: that loader stores under the version it read, which the bump made
 * unreachable. If Redis is unavailable then, the second pass is recorded in the outbox.
 */
@ApplicationScoped
public class FailoverSweep {

    private static final Logger LOG = Logger.getLogger(FailoverSweep.class.getName());
    /** Beyond the longest lease TTL: the lease was set by Redis's clock, the second pass is timed by ours. */
    static final Duration MARGIN = Duration.ofMillis(500);

    @Inject
    CacheRegistry registry;

    @Inject
    MasterWatch watch;

    @Inject
    InvalidationOutbox outbox;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource
    ContextService context;

    void start(@Observes @Priority(RedisConnection.FIRST + 30) @Initialized(ApplicationScoped.class) Object deployed) {
        // the breaker's probe thread is not a managed one: give the step this application's context
        watch.whenMasterChanged(context.createContextualProxy((BooleanSupplier) this::sweep, BooleanSupplier.class));
    }

    /** Every cache invalidated (called while the breaker is open); false if Redis failed meanwhile. */
    boolean sweep() {
        for (NamedCache cache : registry.all()) {
            if (!cache.invalidateAll()) {
                return false;
            }
        }
        LOG.info(() -> "Invalidated every cache after the change of Redis master: " + registry.names());
        longestLeaseOfUnversioned().ifPresent(lease ->
                scheduler.schedule(this::sweepUnversioned, lease.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS));
        return true;
    }

    /** The second pass: every cache that is not versioned, through the outbox if Redis is unavailable. */
    void sweepUnversioned() {
        for (NamedCache cache : registry.all()) {
            if (cache.settings().versioned() || cache.invalidateAll()) {
                continue;
            }
            try {
                outbox.recordAlone(cache.name(), null);
            } catch (RuntimeException e) {
                cache.outboxUnavailable(e);
            }
        }
    }

    private Optional<Duration> longestLeaseOfUnversioned() {
        return registry.all().stream().filter(c -> !c.settings().versioned()).map(c -> c.settings().leaseTtl())
                .max(Duration::compareTo);
    }
}
