package dev.larder.kit.ratelimiting.control;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * An exact sliding-window limiter: one Lua script per decision keeps the admitted requests of the
 * last window in a sorted set {@code larder:ratelimit:<policy>:<client>} (scored by Redis's own
 * clock, so instances need no synchronised clocks), admits while fewer than the limit are in it, and
 * sets the key to expire one window after the last admission. No INCR-then-EXPIRE race, no
 * double-counting across instances. Memory: one entry per admitted request of the window.
 */
public class RateLimiter {

    public static final String PREFIX = "larder:ratelimit:";

    private static final String DECIDE = """
            local limit = tonumber(ARGV[1])
            local window = tonumber(ARGV[2]) * 1000
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now - window))
            local count = redis.call('ZCARD', KEYS[1])
            local allowed = 0
            if count < limit then
              redis.call('ZADD', KEYS[1], string.format('%d', now), string.format('%d', now) .. ':' .. ARGV[3])
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              count = count + 1
              allowed = 1
            end
            local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
            local reset = 0
            if oldest[2] then
              reset = math.ceil((tonumber(oldest[2]) + window - now) / 1000)
            end
            return {allowed, limit - count, reset}
            """;

    private final RedissonClient redisson;

    public RateLimiter(RedissonClient redisson) {
        this.redisson = redisson;
    }

    /** One admission decision; throws if Redis cannot decide (the caller picks fail-open or closed). */
    public Decision decide(Policy policy, String client) {
        String key = PREFIX + policy.name() + ":" + client;
        List<Long> answer = redisson.getScript(StringCodec.INSTANCE).eval(key, RScript.Mode.READ_WRITE, DECIDE,
                RScript.ReturnType.LIST, List.<Object>of(key), String.valueOf(policy.limit()),
                String.valueOf(policy.window().toMillis()), Long.toHexString(ThreadLocalRandom.current().nextLong()));
        return new Decision(policy, answer.get(0) == 1L, answer.get(1).intValue(), answer.get(2));
    }

    /**
     * @param remaining requests still admitted in the current window
     * @param resetMillis until the oldest admission leaves the window (when refused: the wait)
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
