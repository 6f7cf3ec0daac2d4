package dev.larder.kit.ratelimiting.control;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * A sliding-window limiter that never admits more than the limit in any window and keeps a small,
 * fixed amount of Redis memory per client whatever the limit: one Lua script per decision counts the
 * client's admissions in {@value #BUCKETS} buckets per window (a hash {@code
 * larder:ratelimit:<policy>:<client>}, bucket number to count, by Redis's own clock, so instances
 * need no synchronised clocks). A decision counts the current bucket and the {@value #BUCKETS} before
 * it, so an admission is forgotten between one window and one window plus one bucket after it: the
 * limit is never exceeded, and concurrent requests from any number of instances get exactly
 * {@code limit} admissions; a client at its limit for a long time gets up to one bucket's share
 * (1/{@value #BUCKETS}) less than the limit. The key expires one window plus one bucket after the
 * last admission. No INCR-then-EXPIRE race. Memory: at most {@value #BUCKETS} + 1 small fields per
 * client and policy (measured in RateLimiterTest with {@code MEMORY USAGE}; see the package-info).
 */
public class RateLimiter {

    public static final String PREFIX = "larder:ratelimit:";
    static final int BUCKETS = 20;

    private static final String DECIDE = """
            local limit = tonumber(ARGV[1])
            local window = tonumber(ARGV[2]) * 1000
            local buckets = tonumber(ARGV[3])
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
            local allowed = 0
            if count < limit then
              redis.call('HINCRBY', KEYS[1], string.format('%d', current), 1)
              redis.call('PEXPIRE', KEYS[1], math.ceil((window + width) / 1000))
              count = count + 1
              allowed = 1
            end
            local reset = math.ceil(((oldest + buckets + 1) * width - now) / 1000)
            return {allowed, limit - count, reset}
            """;

    private final RedissonClient redisson;

    public RateLimiter(RedissonClient redisson) {
        this.redisson = redisson;
    }

    /** One admission decision; throws if Redis cannot decide (the caller picks fail-open or closed). */
    public Decision decide(Policy policy, String client) {
        return decideAsync(policy, client).toCompletableFuture().join();
    }

    /** One admission decision, as a future (so that a circuit breaker can stop waiting for it). */
    public CompletionStage<Decision> decideAsync(Policy policy, String client) {
        String key = PREFIX + policy.name() + ":" + client;
        return redisson.getScript(StringCodec.INSTANCE).<List<Long>>evalAsync(key, RScript.Mode.READ_WRITE, DECIDE,
                RScript.ReturnType.LIST, List.<Object>of(key), String.valueOf(policy.limit()),
                String.valueOf(policy.window().toMillis()), String.valueOf(BUCKETS))
                .thenApply(answer -> new Decision(policy, answer.get(0) == 1L, answer.get(1).intValue(), answer.get(2)));
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
