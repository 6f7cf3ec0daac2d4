package dev.larder.kit.ratelimiting.control;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
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
 * expires one window plus one bucket after the last admission. No INCR-then-EXPIRE race. Memory: at
 * most {@value #BUCKETS} + 1 small fields per client and policy (see the package-info).
 *
 * <p>Concurrent decisions for one client share script calls: while a call for a client is out, the
 * requests that arrive for it wait together, and the next call asks for all their permits at once;
 * the script grants as many as the window holds, atomically, and they go to the waiting requests in
 * arrival order, the rest are refused. So at most one call per client is out at a time, whatever the
 * concurrency. A client found at its limit is refused from memory until its oldest admission is
 * forgotten ({@link Refusals}), without a call.
 */
public class RateLimiter {

    public static final String PREFIX = "larder:ratelimit:";
    static final int BUCKETS = 20;

    /** KEYS[1] the client's hash; ARGV limit, window ms, buckets, permits wanted. Answers {granted, counted before, reset ms}. */
    private static final String DECIDE = """
            local limit = tonumber(ARGV[1])
            local window = tonumber(ARGV[2]) * 1000
            local buckets = tonumber(ARGV[3])
            local wanted = tonumber(ARGV[4])
            local width = math.ceil(window / buckets)
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local current = math.floor(now / width)
            local oldestKept = current - buckets
            local count = 0
            local oldest = current
            local fields = redis.call('HGETALL', KEYS[1])
            for i = 1, #fields, 2 do
              local bucket = tonumber(fields[i])
              if bucket < oldestKept then
                redis.call('HDEL', KEYS[1], fields[i])
              else
                count = count + tonumber(fields[i + 1])
                if bucket < oldest then oldest = bucket end
              end
            end
            local granted = math.min(wanted, math.max(0, limit - count))
            if granted > 0 then
              redis.call('HINCRBY', KEYS[1], string.format('%d', current), granted)
              redis.call('PEXPIRE', KEYS[1], math.ceil((window + width) / 1000))
            end
            local reset = math.ceil(((oldest + buckets + 1) * width - now) / 1000)
            return {granted, count, reset}
            """;

    private final RScript script;
    private final Refusals refusals;
    /** Per client with a call out: the requests that arrived meanwhile, for the next call. */
    private final ConcurrentHashMap<String, List<CompletableFuture<Decision>>> waiting = new ConcurrentHashMap<>();
    private final LongAdder calls = new LongAdder();
    private final LongAdder fromMemory = new LongAdder();

    public RateLimiter(RedissonClient redisson) {
        this(redisson, System::nanoTime);
    }

    RateLimiter(RedissonClient redisson, LongSupplier nanos) {
        this.script = redisson.getScript(StringCodec.INSTANCE);
        this.refusals = new Refusals(nanos);
    }

    /** One admission decision; throws if Redis cannot decide (the caller picks fail-open or closed). */
    public Decision decide(Policy policy, String client) {
        return decideAsync(policy, client).toCompletableFuture().join();
    }

    /** One admission decision, as a future (so that a circuit breaker can stop waiting for it). */
    public CompletionStage<Decision> decideAsync(Policy policy, String client) {
        String key = PREFIX + policy.name() + ":" + client;
        long refused = refusals.refusedMillis(key);
        if (refused > 0) {
            fromMemory.increment();
            return CompletableFuture.completedFuture(new Decision(policy, false, 0, refused));
        }
        CompletableFuture<Decision> decision = new CompletableFuture<>();
        boolean[] first = {false};
        waiting.compute(key, (k, queued) -> {
            if (queued == null) {
                first[0] = true;
                return new ArrayList<>();
            }
            queued.add(decision);
            return queued;
        });
        if (first[0]) {
            call(policy, key, List.of(decision));
        }
        return decision;
    }

    /** Script calls made since start (each decides one or more requests). */
    public long calls() {
        return calls.sum();
    }

    /** Requests refused from memory, without a script call, since start. */
    public long refusedFromMemory() {
        return fromMemory.sum();
    }

    private void call(Policy policy, String key, List<CompletableFuture<Decision>> batch) {
        calls.increment();
        CompletionStage<List<Long>> answer;
        try {
            answer = script.evalAsync(key, RScript.Mode.READ_WRITE, DECIDE, RScript.ReturnType.LIST, List.<Object>of(key),
                    String.valueOf(policy.limit()), String.valueOf(policy.window().toMillis()), String.valueOf(BUCKETS),
                    String.valueOf(batch.size()));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((granted, error) -> {
            try {
                settle(policy, key, batch, granted, error);
            } finally {
                next(policy, key);
            }
        });
    }

    private void settle(Policy policy, String key, List<CompletableFuture<Decision>> batch, List<Long> answer, Throwable error) {
        if (error != null) {
            batch.forEach(request -> request.completeExceptionally(error));
            return;
        }
        long granted = answer.get(0);
        long before = answer.get(1);
        long reset = answer.get(2);
        if (before + granted >= policy.limit()) {
            refusals.refuse(key, reset);
        }
        for (int i = 0; i < batch.size(); i++) {
            long counted = before + Math.min(i + 1, granted);
            batch.get(i).complete(new Decision(policy, i < granted, (int) Math.max(0, policy.limit() - counted), reset));
        }
    }

    /** Sends the requests that arrived during a call, or, if none did, lets the next request call. */
    private void next(Policy policy, String key) {
        while (true) {
            List<List<CompletableFuture<Decision>>> taken = new ArrayList<>(1);
            waiting.compute(key, (k, queued) -> {
                if (queued == null || queued.isEmpty()) {
                    return null;
                }
                taken.add(queued);
                return new ArrayList<>();
            });
            if (taken.isEmpty()) {
                return;
            }
            long refused = refusals.refusedMillis(key);
            if (refused == 0) {
                call(policy, key, taken.get(0));
                return;
            }
            fromMemory.add(taken.get(0).size());
            taken.get(0).forEach(request -> request.complete(new Decision(policy, false, 0, refused)));
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
