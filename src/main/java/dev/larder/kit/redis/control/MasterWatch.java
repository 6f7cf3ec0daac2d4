package dev.larder.kit.redis.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodeAsync;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.config.Config;

/**
 * Notices when a master this application writes to is another Redis server process than before: a
 * failover promoted a replica (Sentinel, Cluster), or the server restarted. Either way Redis may have
 * lost writes it had acknowledged. Replication is asynchronous, so a promoted replica lacks whatever
 * the old master had not yet sent it; a write made to the old master between the promotion and the
 * moment this client follows the new one is dropped when the old master resynchronises as a
 * replica; a restart loses what was not saved. Cache invalidations are among those writes, so the
 * new master may hold values older than the database.
 *
 * <p>Identity is the {@code run_id} of {@code INFO server} of every master Redisson routes to (one;
 * several on a Cluster): a new process has a new one. It is read every {@value #INTERVAL_MILLIS} ms
 * while the breaker is closed, at once when Redisson connects to a node, and by the breaker's probe
 * before it closes after an outage. A {@code run_id} not seen among the masters before is a change:
 * the breaker is suspended ({@link RedisBreaker#suspend}), so every caller serves without Redis from
 * then on, and before it closes again the steps given to {@link #whenMasterChanged} run (the caches
 * invalidate everything they hold); a step that fails keeps the breaker open until the next probe
 * tries again. The first reading is the baseline. A server that refuses {@code INFO} (an ACL user
 * without it) is logged once and not watched.
 */
@ApplicationScoped
public class MasterWatch {

    private static final Logger LOG = Logger.getLogger(MasterWatch.class.getName());
    static final long INTERVAL_MILLIS = 250;
    /**
     * How long a check waits for INFO: far beyond its loopback time, well below the Redis timeout, so
     * that an INFO caught on the old master's connection when Redisson switches does not hold the
     * next check back for a whole timeout.
     */
    static final long ANSWER_LIMIT_MILLIS = 500;

    @Inject
    RedissonClient redisson;

    @Inject
    RedisBreaker breaker;

    @Inject
    RedisConnectionEvents connections;

    private final List<BooleanSupplier> afterChange = new CopyOnWriteArrayList<>();
    /** A change whose steps have not all run yet. */
    private final AtomicBoolean unsettled = new AtomicBoolean();
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private final AtomicBoolean refusalLogged = new AtomicBoolean();
    private Set<String> known;
    private ScheduledExecutorService watcher;

    void start(@Observes @Priority(RedisConnection.FIRST + 5) @Initialized(ApplicationScoped.class) Object deployed) {
        start();
    }

    /** Starts watching: also how tests wire it by hand. */
    public void start() {
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "larder-redis-master-watch");
            thread.setDaemon(true);
            return thread;
        });
        breaker.beforeClosing(this::settle);
        connections.whenConnected(this::checkSoon);
        watcher.scheduleWithFixedDelay(this::poll, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    public void stop() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }

    /**
     * Runs {@code step} after every change of master, before Redis is used again; it returns false if
     * it could not finish (then it runs again at the next probe). Its Redis calls pass the open breaker.
     */
    public void whenMasterChanged(BooleanSupplier step) {
        afterChange.add(step);
    }

    /** Whether a change was seen whose steps have not all run. */
    public boolean unsettled() {
        return unsettled.get();
    }

    private void checkSoon() {
        if (checkQueued.compareAndSet(false, true)) {
            watcher.execute(() -> {
                checkQueued.set(false);
                poll();
            });
        }
    }

    private void poll() {
        try {
            if (breaker.closed()) {
                check();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not check the Redis master", e);
        }
    }

    /** The breaker's step before closing: the master is read again, and after a change the steps run. */
    boolean settle() {
        if (!check()) {
            return false;
        }
        if (!unsettled.get()) {
            return true;
        }
        boolean done = breaker.whileRecovering(() -> afterChange.stream().allMatch(BooleanSupplier::getAsBoolean));
        if (done) {
            unsettled.set(false);
            LOG.info("Followed the new Redis master: every step after a change of master has run");
        }
        return done;
    }

    /** Reads the masters' identities and compares them with the last ones; false if Redis did not answer. */
    synchronized boolean check() {
        Set<String> now = runIds();
        if (now == null) {
            return false;
        }
        if (now == NOT_WATCHED) {
            return true;
        }
        Set<String> before = known;
        known = now;
        if (before != null && !before.containsAll(now)) {
            unsettled.set(true);
            String reason = "The Redis master is another server process than before (run_id " + before + " → " + now
                    + "): a failover or a restart, which may have lost writes Redis had acknowledged";
            if (!breaker.suspend(reason)) {
                LOG.warning(reason + "; the breaker is open already, and closes only after the steps have run");
            }
        }
        return true;
    }

    /** What {@link #runIds} answers when Redis refuses {@code INFO}. */
    private static final Set<String> NOT_WATCHED = java.util.Collections.unmodifiableSet(new TreeSet<>());

    /** The run_id of every master; null if one did not answer; {@link #NOT_WATCHED} if Redis refuses INFO. */
    private Set<String> runIds() {
        Set<String> ids = new TreeSet<>();
        try {
            List<CompletableFuture<Map<String, String>>> answers = new ArrayList<>();
            for (RedisNodeAsync master : masters()) {
                answers.add(master.infoAsync(RedisNode.InfoSection.SERVER).toCompletableFuture());
            }
            for (CompletableFuture<Map<String, String>> answer : answers) {
                ids.add(Objects.requireNonNull(answer.get(ANSWER_LIMIT_MILLIS, TimeUnit.MILLISECONDS).get("run_id")));
            }
        } catch (ExecutionException e) {
            return refused(e.getCause()) ? NOT_WATCHED : null;
        } catch (TimeoutException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return ids.isEmpty() ? null : ids;
    }

    /** Whether Redis refused INFO itself (logged once), rather than being unavailable. */
    private boolean refused(Throwable error) {
        if (!RedisFailures.isCommandError(error) || RedisFailures.isOutage(error)) {
            return false;
        }
        if (refusalLogged.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "Redis refuses INFO: a failover or a restart will go unnoticed, and caches may keep values"
                    + " whose invalidation Redis lost (give Larder's Redis user +info)", error);
        }
        return true;
    }

    private Collection<? extends RedisNodeAsync> masters() {
        Config config = redisson.getConfig();
        if (config.isClusterConfig()) {
            return redisson.getRedisNodes(RedisNodes.CLUSTER).getMasters();
        }
        RedisNodeAsync master = config.isSentinelConfig() ? redisson.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster()
                : config.isSingleConfig() ? redisson.getRedisNodes(RedisNodes.SINGLE).getInstance()
                : redisson.getRedisNodes(RedisNodes.MASTER_SLAVE).getMaster();
        return master == null ? List.of() : List.of(master);
    }
}
