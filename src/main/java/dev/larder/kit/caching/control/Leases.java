package dev.larder.kit.caching.control;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Loader leases, one Redis key per cache entry being loaded: {@code larder:lease:<cache>:<field>}
 * holding a random token, set only if absent and expiring on its own, so a loader that dies
 * never blocks anyone beyond the lease TTL. A writer breaks the lease; the loader then finds its
 * token gone and does not store its (older) value: the fence of memcache's leases.
 */
class Leases {

    static final String PREFIX = "larder:lease:";

    private static final String HOLDS = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return 1
            end
            return 0
            """;

    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1])
              return 1
            end
            return 0
            """;

    private final RedissonClient redisson;
    private final String cache;
    private final Duration ttl;

    Leases(RedissonClient redisson, String cache, Duration ttl) {
        this.redisson = redisson;
        this.cache = cache;
        this.ttl = ttl;
    }

    /** A token if this caller now holds the lease, null if another does. */
    String tryAcquire(String field) {
        String token = UUID.randomUUID().toString();
        return redisson.<String>getBucket(key(field), StringCodec.INSTANCE).setIfAbsent(token, ttl) ? token : null;
    }

    /** Whether the token still holds the lease (it neither lapsed nor was broken by a writer). */
    boolean holds(String field, String token) {
        return script(HOLDS, field, token);
    }

    /** Releases the lease if the token still holds it; false if it lapsed or a writer broke it. */
    boolean release(String field, String token) {
        return script(RELEASE, field, token);
    }

    private boolean script(String lua, String field, String token) {
        Long result = redisson.getScript(StringCodec.INSTANCE).eval(key(field), RScript.Mode.READ_WRITE, lua,
                RScript.ReturnType.LONG, List.<Object>of(key(field)), token);
        return result != null && result == 1L;
    }

    /** A writer changed the entry: whoever is loading it must not store what it loaded. */
    void breakLease(String field) {
        redisson.getBucket(key(field), StringCodec.INSTANCE).delete();
    }

    private String key(String field) {
        return PREFIX + cache + ":" + field;
    }
}
