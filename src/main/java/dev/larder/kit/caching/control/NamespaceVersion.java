package dev.larder.kit.caching.control;

import java.time.Duration;
import java.util.List;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The version inside the keys of a versioned cache, in Redis under {@code larder:ns:<cache>}.
 * Bumping it makes every older entry unreachable in one command; the old entries then expire on
 * their own TTL, so there is no {@code KEYS} and no mass {@code DEL}. A bump sets the version to
 * {@code max(old + 1, Redis clock in ms)}, so even if the version key itself expires (its TTL is
 * renewed on every bump and is longer than any entry can live) it never goes back to a value that
 * entries still alive were written under.
 */
class NamespaceVersion {

    static final String PREFIX = "larder:ns:";

    private static final String BUMP = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            local next = math.max(current + 1, now)
            redis.call('SET', KEYS[1], string.format('%d', next), 'PX', ARGV[1])
            return string.format('%d', next)
            """;

    private final RedissonClient redisson;
    private final String key;
    private final Duration keyTtl;

    NamespaceVersion(RedissonClient redisson, String cacheName, Duration keyTtl) {
        this.redisson = redisson;
        this.key = PREFIX + cacheName;
        this.keyTtl = keyTtl;
    }

    java.util.concurrent.CompletionStage<String> current() {
        return redisson.<String>getBucket(key, StringCodec.INSTANCE).getAsync().thenApply(value -> value == null ? "0" : value);
    }

    java.util.concurrent.CompletionStage<String> bump() {
        return redisson.getScript(StringCodec.INSTANCE).evalAsync(key, RScript.Mode.READ_WRITE, BUMP,
                RScript.ReturnType.STRING, List.<Object>of(key), String.valueOf(keyTtl.toMillis()));
    }
}
