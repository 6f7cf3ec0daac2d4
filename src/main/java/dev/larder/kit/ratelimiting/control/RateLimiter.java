package dev.larder.kit.ratelimiting.control;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * A sliding-window limiter that never admits more than the limit in any window and keeps a small,
 * fixed amount of Redis memory per client whatever the limit: one Lua script counts the client's
 * admissions in {@value #BUCKETS} buckets per window (a hash {@code larder:ratelimit:<policy>:<client>},
 * bucket number to count, by Redis's own clock, so instances need no synchronised clocks). A decision
 * counts the current bucket and the {@value #BUCKETS} before it, so an admission is forgotten between
 * one window and one window plus one bucket after it: the limit is never exceeded, and concurrent
 * requests from any number of instances get exactly {@code limit} admissions; a client at its limit
 * for a long time gets up to one bucket's share (1/{@value #BUCKETS}) less than the limit. The key
 * expires one window plus one bucket after the last admission. No INCR-then-EXPIRE race.
 *
 * <p>Concurrent decisions for one client share script calls: while a call for a client is out, the
 * requests that arrive for it wait together, and the next call asks for all their permits at once;
 * the script grants as many as the window holds, atomically, and they go to the waiting requests in
 * arrival order. A client found at its limit is refused from memory until its oldest admission is
 * forgotten ({@link Refusals}), without a call.
 *
 * <p><b>Leases.</b> A client this instance sees often (at least {@value #LEASE_AFTER} decisions in
 * {@value #LEASE_MILLIS} ms) is also given a lease: permits counted in Redis as admitted now, in the
 * current bucket, which this instance hands out from memory until the lease ends — at most
 * {@value #LEASE_MILLIS} ms later and never after the end of the bucket they were counted in, so a
 * leased admission leaves the window exactly when one decided in Redis at that moment would. The
 * script leases at most an eighth of what the window still holds (the last permits are always
 * decided one call at a time) and records the lease in the client's hash ({@code lease:<holder>} =
 * bucket, count, end). What a lease did not hand out is given back (subtracted from its bucket) by
 * the holder's next call or, at the latest, when the lease ends; so the limit is still never
 * exceeded. And still exactly the limit is admitted: a request the window cannot admit while
 * another instance holds a lease is not refused but waits until that lease has been given back and
 * asks again; only a window full with no lease outstanding refuses. A holder that dies without
 * giving back stops holding others up {@value #GRACE_MILLIS} ms after its lease ended; what it had
 * not handed out stays counted until it leaves the window (the only way this limiter admits less than
 * the limit, bounded by one lease). The lease end is measured locally from when the call was sent,
 * before Redis set it, so a holder never hands out a permit after Redis considers its lease over.
 */
public class RateLimiter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class.getName());
    public static final String PREFIX = "larder:ratelimit:";
    static final int BUCKETS = 20;
    /** The longest life of a lease. */
    static final long LEASE_MILLIS = 100;
    /** How long after its end a lease that was not given back still holds up other instances' requests. */
    static final long GRACE_MILLIS = 200;
    /** Decisions for one client within a lease's life before this instance asks for leases. */
    static final int LEASE_AFTER = 4;
    static final int MAX_LEASE = 1024;
    /** Clients whose state is kept; beyond that, idle ones are forgotten (costing them a call). */
    static final int MAX_CLIENTS = 10_000;

    /**
     * KEYS[1] the client's hash; ARGV limit, window ms, buckets, permits wanted, holder, permits the
     * holder gives back from its lease, lease wanted, lease life ms, grace ms. Answers {granted,
     * counted before, reset ms, leased, lease ms left, wait ms (-1: no other lease outstanding)}.
     */
    private static final String DECIDE = """
            local limit = tonumber(ARGV[1])
            local window = tonumber(ARGV[2]) * 1000
            local buckets = tonumber(ARGV[3])
            local wanted = tonumber(ARGV[4])
            local holder = 'lease:' .. ARGV[5]
            local givenBack = tonumber(ARGV[6])
            local leaseWanted = tonumber(ARGV[7])
            local leaseLife = tonumber(ARGV[8]) * 1000
            local grace = tonumber(ARGV[9]) * 1000
            local width = math.ceil(window / buckets)
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local current = math.floor(now / width)
            local oldestKept = current - buckets
            local own = redis.call('HGET', KEYS[1], holder)
            if own then
              redis.call('HDEL', KEYS[1], holder)
              local bucket = string.match(own, '^(%d+):')
              if givenBack > 0 and tonumber(bucket) >= oldestKept then
                local counted = tonumber(redis.call('HGET', KEYS[1], bucket) or '0')
                local left = counted - math.min(givenBack, counted)
                if left > 0 then
                  redis.call('HSET', KEYS[1], bucket, left)
                else
                  redis.call('HDEL', KEYS[1], bucket)
                end
              end
            end
            local count = 0
            local oldest = current
            local othersEnd = -1
            local fields = redis.call('HGETALL', KEYS[1])
            for i = 1, #fields, 2 do
              local field = fields[i]
              if string.sub(field, 1, 6) == 'lease:' then
                local leaseEnd = tonumber(string.match(fields[i + 1], ':(%d+)$'))
                if leaseEnd + grace < now then
                  redis.call('HDEL', KEYS[1], field)
                elseif leaseEnd > othersEnd then
                  othersEnd = leaseEnd
                end
              else
                local bucket = tonumber(field)
                if bucket < oldestKept then
                  redis.call('HDEL', KEYS[1], field)
                else
                  count = count + tonumber(fields[i + 1])
                  if bucket < oldest then oldest = bucket end
                end
              end
            end
            local granted = math.min(wanted, math.max(0, limit - count))
            local leased = 0
            local leaseEnd = math.min(now + leaseLife, (current + 1) * width)
            if leaseWanted > 0 and leaseEnd - now >= 10000 then
              leased = math.min(leaseWanted, math.floor((limit - count - granted) / 8))
              if leased < 2 then leased = 0 end
            end
            if granted + leased > 0 then
              redis.call('HINCRBY', KEYS[1], string.format('%d', current), granted + leased)
              redis.call('PEXPIRE', KEYS[1], math.ceil((window + width) / 1000))
            end
            local leaseLeft = 0
            if leased > 0 then
              redis.call('HSET', KEYS[1], holder, string.format('%d:%d:%d', current, leased, leaseEnd))
              leaseLeft = math.floor((leaseEnd - now) / 1000)
            end
            local wait = -1
            if othersEnd >= 0 then
              wait = math.max(2, math.ceil((othersEnd - now) / 1000) + 2)
            end
            local reset = math.ceil(((oldest + buckets + 1) * width - now) / 1000)
            return {granted, count, reset, leased, leaseLeft, wait}
            """;

    private final RScript script;
    private final Refusals refusals;
    private final LongSupplier nanos;
    private final String holder;
    private final ConcurrentHashMap<String, Client> clients = new ConcurrentHashMap<>();
    private final LongAdder calls = new LongAdder();
    private final LongAdder fromMemory = new LongAdder();
    private final LongAdder fromLease = new LongAdder();
    private volatile ScheduledExecutorService timers;
    private final java.util.concurrent.atomic.AtomicLong lastSweep = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE / 2);
    private volatile boolean closed;

    public RateLimiter(RedissonClient redisson) {
        this(redisson, System::nanoTime);
    }

    RateLimiter(RedissonClient redisson, LongSupplier nanos) {
        this.script = redisson.getScript(StringCodec.INSTANCE);
        this.nanos = nanos;
        this.refusals = new Refusals(nanos);
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        this.holder = java.util.HexFormat.of().formatHex(id);
    }

    /** One admission decision; throws if Redis cannot decide (the caller picks fail-open or closed). */
    public Decision decide(Policy policy, String client) {
        Decision local = decideLocally(policy, client);
        return local != null ? local : decideRemotely(policy, client).toCompletableFuture().join();
    }

    /**
     * The first half of a decision: counts the request towards the client's demand (which sizes its
     * leases) and answers if this instance can without Redis — a permit of the client's lease, or a
     * refusal it remembers; null when Redis must decide: then {@link #decideRemotely}, once.
     */
    public Decision decideLocally(Policy policy, String client) {
        String key = key(policy, client);
        Client state = state(policy, key);
        synchronized (state) {
            long now = nanos.getAsLong();
            state.demand(now);
            if (state.take(now)) {
                fromLease.increment();
                return new Decision(policy, true, state.remaining(), state.reset);
            }
        }
        long refused = refusals.refusedMillis(key);
        if (refused > 0) {
            fromMemory.increment();
            return new Decision(policy, false, 0, refused);
        }
        return null;
    }

    /**
     * The second half, after {@link #decideLocally} answered null for the same request: joins the
     * client's next script call (one call decides every request waiting for it), unless a lease came
     * in meanwhile and still has a permit.
     */
    public CompletionStage<Decision> decideRemotely(Policy policy, String client) {
        Client state = state(policy, key(policy, client));
        CompletableFuture<Decision> decision = new CompletableFuture<>();
        synchronized (state) {
            if (state.take(nanos.getAsLong())) {
                fromLease.increment();
                return CompletableFuture.completedFuture(new Decision(policy, true, state.remaining(), state.reset));
            }
            state.waiting.add(decision);
            if (!state.calling && !state.retryScheduled) {
                call(state);
            }
        }
        return decision;
    }

    /** The client's hash in Redis, and its entry here. */
    private static String key(Policy policy, String client) {
        return PREFIX + policy.name() + ":" + client;
    }

    private Client state(Policy policy, String key) {
        Client state = clients.get(key);
        if (state == null) {
            state = clients.computeIfAbsent(key, k -> new Client(policy, k));
            if (clients.size() > MAX_CLIENTS) {
                forgetIdle();
            }
        }
        return state;
    }

    /** Script calls made since start (each decides one or more requests, or gives back a lease). */
    public long calls() {
        return calls.sum();
    }

    /** Requests refused from memory, without a script call, since start. */
    public long refusedFromMemory() {
        return fromMemory.sum();
    }

    /** Requests admitted from a lease, without a script call, since start. */
    public long admittedFromLeases() {
        return fromLease.sum();
    }

    /** Permits this instance holds in leases for {@code client} and has not handed out. */
    int leased(Policy policy, String client) {
        Client state = clients.get(key(policy, client));
        if (state == null) {
            return 0;
        }
        synchronized (state) {
            return state.permits;
        }
    }

    /** Gives back every lease this instance holds (best effort: a lease not given back ends anyway). */
    @Override
    public void close() {
        closed = true;
        ScheduledExecutorService scheduled = timers;
        if (scheduled != null) {
            scheduled.shutdownNow();
        }
        List<CompletableFuture<?>> givenBack = new ArrayList<>();
        for (Client state : clients.values()) {
            synchronized (state) {
                if (state.leaseInRedis && !state.calling) {
                    givenBack.add(call(state).toCompletableFuture());
                }
            }
        }
        try {
            CompletableFuture.allOf(givenBack.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.FINE, "rate-limit leases not all given back at close; they end by themselves", e);
        }
    }

    /** Sends one call for {@code state}: its waiting requests, what its lease did not hand out, a new lease. Holds the lock. */
    private CompletionStage<List<Long>> call(Client state) {
        List<CompletableFuture<Decision>> batch = state.waiting;
        state.waiting = new ArrayList<>();
        state.calling = true;
        int givenBack = state.leaseInRedis ? state.permits : 0;
        state.permits = 0;
        state.leaseInRedis = false;
        long sent = nanos.getAsLong();
        int leaseWanted = closed || batch.isEmpty() ? 0 : state.leaseWanted();
        Policy policy = state.policy;
        calls.increment();
        CompletionStage<List<Long>> answer;
        try {
            answer = script.evalAsync(state.key, RScript.Mode.READ_WRITE, DECIDE, RScript.ReturnType.LIST, List.<Object>of(state.key),
                    String.valueOf(policy.limit()), String.valueOf(policy.window().toMillis()), String.valueOf(BUCKETS),
                    String.valueOf(batch.size()), holder, String.valueOf(givenBack), String.valueOf(leaseWanted),
                    String.valueOf(LEASE_MILLIS), String.valueOf(GRACE_MILLIS));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((result, error) -> settle(state, batch, sent, result, error));
        return answer;
    }

    private void settle(Client state, List<CompletableFuture<Decision>> batch, long sent, List<Long> answer, Throwable error) {
        List<Runnable> completions = new ArrayList<>(batch.size() + 1);
        synchronized (state) {
            state.calling = false;
            Policy policy = state.policy;
            if (error != null) {
                batch.forEach(request -> completions.add(() -> request.completeExceptionally(error)));
                if (batch.isEmpty()) {
                    LOG.log(Level.FINE, "a rate-limit lease was not given back; it ends by itself", error);
                }
            } else {
                long granted = answer.get(0);
                long before = answer.get(1);
                long reset = answer.get(2);
                long leased = answer.get(3);
                long leaseMillis = answer.get(4);
                long wait = answer.get(5);
                state.reset = reset;
                if (leased > 0) {
                    state.permits = (int) leased;
                    state.leaseEnd = sent + leaseMillis * 1_000_000;
                    state.leaseInRedis = true;
                    state.redisRemaining = (int) Math.max(0, policy.limit() - before - granted - leased);
                    long lease = ++state.leases;
                    scheduleGiveBack(state, lease, leaseMillis);
                } else {
                    state.redisRemaining = (int) Math.max(0, policy.limit() - before - granted);
                }
                for (int i = 0; i < granted; i++) {
                    int remaining = (int) Math.max(0, policy.limit() - before - i - 1);
                    CompletableFuture<Decision> request = batch.get(i);
                    completions.add(() -> request.complete(new Decision(policy, true, remaining, reset)));
                }
                List<CompletableFuture<Decision>> notGranted = batch.subList((int) granted, batch.size());
                if (!notGranted.isEmpty() && wait >= 0) {
                    // another instance holds a lease: ask again once it has been given back
                    List<CompletableFuture<Decision>> again = new ArrayList<>(notGranted);
                    again.addAll(state.waiting);
                    state.waiting = again;
                    state.retryScheduled = true;
                    schedule(() -> retry(state), wait);
                } else if (!notGranted.isEmpty()) {
                    refusals.refuse(state.key, reset);
                    notGranted.forEach(request -> completions.add(() -> request.complete(new Decision(policy, false, 0, reset))));
                } else if (wait < 0 && before + granted + leased >= policy.limit()) {
                    refusals.refuse(state.key, reset);
                }
            }
            drain(state, completions);
        }
        completions.forEach(Runnable::run);
    }

    /** Hands the requests that arrived meanwhile the new lease's permits, and calls for the rest. Holds the lock. */
    private void drain(Client state, List<Runnable> completions) {
        if (state.retryScheduled || state.waiting.isEmpty()) {
            return;
        }
        long now = nanos.getAsLong();
        while (!state.waiting.isEmpty() && state.take(now)) {
            CompletableFuture<Decision> request = state.waiting.remove(0);
            Decision decision = new Decision(state.policy, true, state.remaining(), state.reset);
            fromLease.increment();
            completions.add(() -> request.complete(decision));
        }
        if (state.waiting.isEmpty()) {
            return;
        }
        long refused = refusals.refusedMillis(state.key);
        if (refused > 0) {
            List<CompletableFuture<Decision>> refusedNow = state.waiting;
            state.waiting = new ArrayList<>();
            fromMemory.add(refusedNow.size());
            Decision decision = new Decision(state.policy, false, 0, refused);
            refusedNow.forEach(request -> completions.add(() -> request.complete(decision)));
            return;
        }
        call(state);
    }

    private void retry(Client state) {
        List<Runnable> completions = new ArrayList<>();
        synchronized (state) {
            state.retryScheduled = false;
            if (!state.calling) {
                drain(state, completions);
            }
        }
        completions.forEach(Runnable::run);
    }

    /** At the end of lease number {@code lease}: gives back what it did not hand out, unless a call already did. */
    private void scheduleGiveBack(Client state, long lease, long leaseMillis) {
        schedule(() -> {
            synchronized (state) {
                if (state.leases == lease && state.leaseInRedis && !state.calling && !closed) {
                    call(state);
                }
            }
        }, leaseMillis);
    }

    private void schedule(Runnable task, long millis) {
        ScheduledExecutorService scheduled = timers;
        if (scheduled == null) {
            synchronized (this) {
                if (timers == null) {
                    timers = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread thread = new Thread(r, "larder-ratelimit-leases");
                        thread.setDaemon(true);
                        return thread;
                    });
                }
                scheduled = timers;
            }
        }
        try {
            scheduled.schedule(task, millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run(); // closing: give back or retry now
        }
    }

    private void forgetIdle() {
        long now = nanos.getAsLong();
        long last = lastSweep.get();
        if (now - last < LEASE_MILLIS * 1_000_000 || !lastSweep.compareAndSet(last, now)) {
            return; // one sweep per lease period at most, whatever the number of new clients
        }
        clients.values().removeIf(state -> {
            synchronized (state) {
                return state.idle(now);
            }
        });
    }

    /** What this instance knows of one client of one policy; guarded by itself. */
    private static final class Client {

        final Policy policy;
        final String key;
        List<CompletableFuture<Decision>> waiting = new ArrayList<>();
        boolean calling;
        boolean retryScheduled;
        /** Leased permits not handed out yet, usable until {@link #leaseEnd}. */
        int permits;
        long leaseEnd;
        /** Whether Redis records a lease of this instance for the client that no call has settled yet. */
        boolean leaseInRedis;
        long leases;
        int redisRemaining;
        long reset;
        /** Decisions in the current and the previous lease-long period: the demand a lease is sized for. */
        int recent;
        int previous;
        long recentSince;

        Client(Policy policy, String key) {
            this.policy = policy;
            this.key = key;
        }

        boolean take(long now) {
            if (permits > 0 && now - leaseEnd < 0) {
                permits--;
                return true;
            }
            return false;
        }

        int remaining() {
            return redisRemaining + permits;
        }

        void demand(long now) {
            if (now - recentSince >= LEASE_MILLIS * 1_000_000) {
                previous = now - recentSince >= 2 * LEASE_MILLIS * 1_000_000 ? 0 : recent;
                recent = 0;
                recentSince = now;
            }
            recent++;
        }

        int leaseWanted() {
            int demand = Math.max(recent, previous);
            return demand < LEASE_AFTER ? 0 : Math.min(MAX_LEASE, 2 * demand);
        }

        boolean idle(long now) {
            return !calling && !retryScheduled && !leaseInRedis && waiting.isEmpty()
                    && now - recentSince > 2 * LEASE_MILLIS * 1_000_000;
        }
    }

    /**
     * @param remaining requests still admitted in the current window
     * @param resetMillis until the oldest admission still counted is forgotten (when refused: the wait)
     */
    public record Decision(Policy policy, boolean allowed, int remaining, long resetMillis) {

        public long resetSeconds() {
            return Math.max(1, (resetMillis + 999) / 1000);
        }

        /** The IETF {@code RateLimit} field value: {@code "name";r=remaining;t=seconds}. */
        public String header() {
            return "\"" + policy.name() + "\";r=" + remaining + ";t=" + resetSeconds();
        }
    }
}
