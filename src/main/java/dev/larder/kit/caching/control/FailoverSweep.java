package dev.larder.kit.caching.control;

import dev.larder.kit.redis.control.MasterWatch;
import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.kit.redis.control.RedisConnection;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import org.redisson.api.RedissonClient;

/**
 * After the Redis master changed ({@link MasterWatch}: a failover, a restart), every cache is
 * invalidated before Redis is used again: the new master may hold values whose invalidation it lost
 * (asynchronous replication, or a write to the old master after the promotion). It runs while the
 * breaker is still open, so no request reads Redis in between, on each instance that notices the
 * change (each clears its near caches too).
 *
 * <p>First every loader's lease is broken ({@code UNLINK} of the keys {@code larder:lease:*}, found by
 * {@code SCAN}): a loader that took its lease before the change and read the database before a write
 * whose invalidation was lost still holds a lease the new master knows, because the writer's fence
 * (deleting the lease) was lost with the invalidation, and could store its older value after the
 * sweep. Then each cache is invalidated (a version bump for a versioned cache, one delete of the hash
 * otherwise, and every instance told). In that order, a loader's store either lands before the
 * invalidation, which removes it, or finds its lease gone and stores nothing. The lease keys are few
 * (one per load in flight), but finding them is a pass over the keyspace, once per change of master.
 */
@ApplicationScoped
public class FailoverSweep {

    private static final Logger LOG = Logger.getLogger(FailoverSweep.class.getName());

    @Inject
    CacheRegistry registry;

    @Inject
    MasterWatch watch;

    @Inject
    RedissonClient redisson;

    @Inject
    RedisBreaker breaker;

    @Resource
    ContextService context;

    void start(@Observes @Priority(RedisConnection.FIRST + 30) @Initialized(ApplicationScoped.class) Object deployed) {
        // the breaker's probe thread is not a managed one: give the step this application's context
        watch.whenMasterChanged(context.createContextualProxy((BooleanSupplier) this::sweep, BooleanSupplier.class));
    }

    /** Every lease broken and every cache invalidated (called while the breaker is open); false if Redis failed meanwhile. */
    boolean sweep() {
        boolean done = sweep(redisson, breaker, registry.all());
        if (done) {
            LOG.info(() -> "Invalidated every cache after the change of Redis master: " + registry.names());
        }
        return done;
    }

    /** The sweep over {@code caches}: also how tests run it without CDI. */
    static boolean sweep(RedissonClient redisson, RedisBreaker breaker, Collection<NamedCache> caches) {
        Long broken = breaker.callAsync("break the loaders' leases after a change of master",
                () -> redisson.getKeys().unlinkByPatternAsync(CacheStore.LEASE_PREFIX + "*"), null);
        return broken != null && caches.stream().allMatch(NamedCache::invalidateAll);
    }
}
