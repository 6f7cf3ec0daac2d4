package dev.larder.kit.redis.control;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one circuit breaker in front of Redis, shared by every part of the application that talks to
 * it (caches, leases, the invalidation bus, sessions, the rate limiter, events).
 *
 * <p>Closed, every call goes to Redis. The first call that fails because Redis is unreachable,
 * refused, paused or slow (a {@link RedisFailures#isOutage Redis outage}, never a codec error or a
 * bug) opens it: the outage is logged once with its cause and every caller from then on gets its
 * fallback at once, without touching Redis. While open, background probes (never a request) ask
 * Redis for one round trip, a new one every {@code probeInterval} even while earlier ones still wait
 * (at most {@value #MAX_PROBES} at once): a probe that started just before Redis came back may wait
 * out the whole timeout (its connection is still being re-established, or a proxy in front of Redis
 * accepted it and answers nothing), and recovery must not wait for it. The first answer closes the
 * breaker, which is logged once with how long the outage lasted. So no request pays a timeout once
 * the breaker is open, and recovery comes within one probe interval plus one round trip of Redis
 * answering (plus however long the client takes to connect again). Calls
 * made through {@link #callAsync} are released the moment the breaker opens: a request that was
 * queued behind others for a connection to a stalled Redis gets its fallback then, instead of
 * paying a second timeout of its own.
 *
 * <p>Before it closes, the breaker runs the {@link #beforeClosing} steps (such as relaying the
 * invalidations that could not reach Redis during the outage), whose Redis calls pass although the
 * breaker is still open: nobody reads Redis again before what it holds is known to be current. A
 * step that finds Redis unavailable again keeps the breaker open until the next probe.
 */
public class RedisBreaker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisBreaker.class.getName());
    /** Completes the waits the breaker releases when it opens; never thrown to a caller. */
    private static final RuntimeException RELEASED = new RuntimeException("released: the Redis breaker opened", null, false, false) {
    };

    private final AtomicBoolean open = new AtomicBoolean();
    private final BooleanSupplier probe;
    private final long probeMillis;
    private final List<Runnable> onOpen = new CopyOnWriteArrayList<>();
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
    private final List<BooleanSupplier> beforeClosing = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Boolean> recovering = ThreadLocal.withInitial(() -> false);
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    /** Probes waiting for Redis at once, at most: one timeout's worth of probe intervals is enough. */
    static final int MAX_PROBES = 4;
    /** The resolution of {@link #lastAnswer}: a tenth of the idle watch's interval. */
    static final long ANSWER_TICK_MILLIS = 10;
    private static final long ANSWER_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(ANSWER_TICK_MILLIS);

    private final ScheduledExecutorService prober = Executors.newScheduledThreadPool(MAX_PROBES + 1, r -> {
        Thread thread = new Thread(r, "larder-redis-breaker-probe");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger probing = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile ScheduledFuture<?> probes;
    final LongAdder opened = new LongAdder();
    final LongAdder shortCircuited = new LongAdder();
    final LongAdder commandErrors = new LongAdder();
    private final Set<String> loggedCommandErrors = ConcurrentHashMap.newKeySet();
    private volatile long openedAtNanos;
    private volatile CallTimes callTimes = CallTimes.NONE;
    /** When a call through the breaker last got Redis's answer (nanoTime), to within {@value #ANSWER_TICK_MILLIS} ms. */
    private volatile long lastAnswer = System.nanoTime();
    private final AtomicBoolean watching = new AtomicBoolean();

    /** Told how long each call that reached Redis took (answered, failed or released), by its action. */
    @FunctionalInterface
    public interface CallTimes {
        CallTimes NONE = (action, nanos) -> {
        };

        /** Called on the caller's thread; must be cheap and must not throw. */
        void record(String action, long nanos);
    }

    /**
     * @param probe         one round trip to Redis: true if it answered (may throw or take up to the Redis timeout)
     * @param probeInterval pause between two probes while open
     */
    public RedisBreaker(BooleanSupplier probe, java.time.Duration probeInterval) {
        this.probe = probe;
        this.probeMillis = Math.max(1, probeInterval.toMillis());
    }

    /**
     * Runs one Redis call: its result; {@code fallback} if the breaker is open or the call found Redis
     * unavailable. A codec error surfaces as {@link RedisFailures.CodecError}; anything else that is
     * not about Redis (a bug) propagates unchanged.
     */
    public <T> T call(String action, Supplier<T> call, T fallback) {
        if (open.get() && !recovering.get()) {
            shortCircuited.increment();
            return fallback;
        }
        long start = System.nanoTime();
        try {
            T value = call.get();
            answered();
            return value;
        } catch (RuntimeException e) {
            return failedCall(action, e, fallback);
        } finally {
            timed(action, start);
        }
    }

    /**
     * Like {@link #call}, for a call that answers with a future (Redisson's async API): the caller
     * waits for it, unless the breaker opens meanwhile (another call found Redis unavailable), which
     * releases every waiting caller with its fallback at once.
     */
    public <T> T callAsync(String action, Supplier<? extends CompletionStage<T>> call, T fallback) {
        if (open.get() && !recovering.get()) {
            shortCircuited.increment();
            return fallback;
        }
        long start = System.nanoTime();
        CompletableFuture<T> waiting = new CompletableFuture<>();
        inFlight.add(waiting);
        try {
            call.get().whenComplete((value, error) -> {
                if (error != null) {
                    waiting.completeExceptionally(error);
                } else {
                    waiting.complete(value);
                }
            });
            if (open.get() && !recovering.get()) {
                waiting.completeExceptionally(RELEASED); // opened between the check and the registration
            }
            T value = waiting.join();
            answered();
            return value;
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause == RELEASED) {
                shortCircuited.increment();
                return fallback;
            }
            return failedCall(action, cause instanceof RuntimeException r ? r : new CompletionException(cause), fallback);
        } catch (RuntimeException e) {
            return failedCall(action, e, fallback);
        } finally {
            inFlight.remove(waiting);
            timed(action, start);
        }
    }

    /**
     * Notes that a call got an answer, for the idle watch. Written at most once per
     * {@value #ANSWER_TICK_MILLIS} ms: every request thread writing the same field on every call would
     * bounce its cache line between cores for a clock the watch reads with 100 ms granularity.
     */
    private void answered() {
        long now = System.nanoTime();
        if (now - lastAnswer > ANSWER_TICK_NANOS) {
            lastAnswer = now;
        }
    }

    /** Reports a call's duration; a fault of the reporter (metrics) never fails the Redis call. */
    private void timed(String action, long startNanos) {
        try {
            callTimes.record(action, System.nanoTime() - startNanos);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not report the time of a Redis call", e);
        }
    }

    private <T> T failedCall(String action, RuntimeException e, T fallback) {
        if (RedisFailures.isCodecError(e)) {
            throw new RedisFailures.CodecError(e);
        }
        if (RedisFailures.isOutage(e)) {
            failed(action, e);
            return fallback;
        }
        if (RedisFailures.isCommandError(e)) {
            commandErrors.increment();
            String kind = e.getClass().getName() + ": " + String.valueOf(e.getMessage()).split("[.:]", 2)[0];
            if (loggedCommandErrors.size() < 100 && loggedCommandErrors.add(kind)) {
                LOG.log(Level.SEVERE, "Redis refused a command while trying to " + action + " (a bug, not an outage;"
                        + " logged once per kind; the caller goes on without Redis for this call)", e);
            }
            return fallback;
        }
        throw e;
    }

    /** Reports the duration of every call that reaches Redis to {@code times} (one reporter; the last one set wins). */
    public void timeCallsWith(CallTimes times) {
        callTimes = times == null ? CallTimes.NONE : times;
    }

    /** Commands Redis refused (script errors and the like) since start. */
    public long commandErrors() {
        return commandErrors.sum();
    }

    /** Whether Redis is believed reachable: false from an outage until a probe answers. */
    public boolean closed() {
        return !open.get();
    }

    /** Opens the breaker because {@code action} found Redis unavailable; logs the first time only. */
    public void failed(String action, Throwable cause) {
        open(() -> "Redis is unavailable (while trying to " + action + "); serving without it, probing every " + probeMillis + " ms",
                cause);
    }

    /**
     * Opens the breaker although Redis answers, because what it holds cannot be trusted until the
     * {@link #beforeClosing} steps have run (after a failover, say); logged once with {@code reason}.
     * From the callers' side it is an outage like any other: fallbacks at once, counted, probed.
     * False if the breaker was open already: then nothing is logged, and the steps run before it closes anyway.
     */
    public boolean suspend(String reason) {
        return open(() -> reason + "; serving without Redis until the steps before closing have run, probing every " + probeMillis
                + " ms", null);
    }

    /** Opens the breaker, logging {@code message}; false if it was open already (then nothing is logged). */
    private boolean open(Supplier<String> message, Throwable cause) {
        if (open.compareAndSet(false, true)) {
            openedAtNanos = System.nanoTime();
            opened.increment();
            LOG.log(Level.WARNING, message.get(), cause);
            inFlight.forEach(waiting -> waiting.completeExceptionally(RELEASED));
            onOpen.forEach(action -> {
                try {
                    action.run();
                } catch (RuntimeException e) { // the probes must start whatever a listener does
                    LOG.log(Level.WARNING, "A listener of the Redis breaker failed when it opened", e);
                }
            });
            probes = prober.scheduleWithFixedDelay(this::startProbe, probeMillis, probeMillis, TimeUnit.MILLISECONDS);
            return true;
        }
        return false;
    }

    /**
     * While closed, probes Redis every {@code interval} in which no call through the breaker got an
     * answer, so that an instance whose requests need no Redis (near copies, the response tier,
     * leased rate-limit permits) still learns of an outage within one Redis timeout plus the
     * interval, and its next request that does need Redis gets its fallback at once instead of
     * waiting out the timeout itself. Under traffic the calls themselves are the watch: no probe.
     */
    public void watchWhileIdle(java.time.Duration interval) {
        long nanos = interval.toNanos();
        prober.scheduleWithFixedDelay(() -> {
            if (open.get() || System.nanoTime() - lastAnswer < nanos || !watching.compareAndSet(false, true)) {
                return;
            }
            long outage = opened.sum();
            try {
                if (probe.getAsBoolean()) {
                    lastAnswer = System.nanoTime();
                }
            } catch (RuntimeException e) {
                if (RedisFailures.isOutage(e) && opened.sum() == outage) {
                    failed("watch Redis while idle", e); // never throws: a scheduled task that throws is not run again
                }
            } finally {
                watching.set(false);
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** Runs {@code action} each time the breaker opens. */
    public void whenOpened(Runnable action) {
        onOpen.add(action);
    }

    /**
     * Runs {@code step} each time Redis answers again, before the breaker closes; it returns false
     * if it could not finish (then the breaker stays open until the next probe). The step's Redis
     * calls must run inside {@link #whileRecovering}.
     */
    public void beforeClosing(BooleanSupplier step) {
        beforeClosing.add(step);
    }

    /** Runs {@code work} on this thread with the breaker's permission to call Redis while it is still open. */
    public boolean whileRecovering(BooleanSupplier work) {
        recovering.set(true);
        try {
            return work.getAsBoolean();
        } finally {
            recovering.remove();
        }
    }

    /** Runs {@code action} each time the breaker closes again. */
    public void whenClosed(Runnable action) {
        onClose.add(action);
    }

    public long timesOpened() {
        return opened.sum();
    }

    public long shortCircuits() {
        return shortCircuited.sum();
    }

    /** Every probe interval while open: one more probe, unless {@value #MAX_PROBES} still wait for Redis. */
    private void startProbe() {
        if (probing.incrementAndGet() > MAX_PROBES) {
            probing.decrementAndGet();
            return;
        }
        try {
            prober.execute(this::probe);
        } catch (RejectedExecutionException closed) {
            probing.decrementAndGet();
        }
    }

    /**
     * One probe; on an answer, the closing steps (one probe at a time), then the breaker closes,
     * unless it opened again meanwhile for a new outage that this probe did not see the start of.
     */
    private void probe() {
        long outage = opened.sum();
        try {
            if (open.get() && answers() && closing.compareAndSet(false, true)) {
                try {
                    if (open.get() && opened.sum() == outage && beforeClosing.stream().allMatch(this::completed)) {
                        closeAfterTheOutage();
                    }
                } finally {
                    closing.set(false);
                }
            }
        } finally {
            probing.decrementAndGet();
        }
    }

    private void closeAfterTheOutage() {
        probes.cancel(false);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAtNanos);
        open.set(false);
        LOG.info(() -> "Redis answers again after " + millis + " ms; using it again");
        onClose.forEach(Runnable::run);
    }

    private boolean answers() {
        try {
            return probe.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean completed(BooleanSupplier step) {
        try {
            return step.getAsBoolean();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A recovery step failed; Redis stays unused until the next probe", e);
            return false;
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
