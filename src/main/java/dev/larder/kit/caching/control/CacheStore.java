package dev.larder.kit.caching.control;

import dev.larder.kit.redis.control.Stamped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.cache.Cache;
import org.redisson.api.CacheAsync;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.Codec;
import org.redisson.client.codec.StringCodec;

/**
 * The Redis side of one cache: entries in Redisson's JCache layout, read through the JCache API, and
 * the loader leases beside them. Every write that races with a loader is one Lua script, so that
 * there is no window between checking a lease and storing:
 * <ul>
 * <li>{@link #getOrLease}: the entry if it is there and alive, else this caller's lease if nobody
 * holds it, in one step (the first of a miss's two round trips);</li>
 * <li>{@link #storeLoaded}: store if this loader's lease still holds, and release it, atomically;</li>
 * <li>{@link #put}: store, break any lease and publish the invalidation, atomically;</li>
 * <li>{@link #invalidate}: delete the entry, break any lease and publish, atomically.</li>
 * </ul>
 * Layout: the cache is one Redisson JCache cache per slot group ({@link Slots}), the field's group
 * chosen by the field. In each, the hash {@code <name>} holds one field per entry and the sorted set
 * {@code jcache_timeout_set:{<name>}} its expiry in epoch ms (Redisson evicts from it). The lease of
 * an entry is {@code larder:lease:{<name>}:<field>}, and its invalidation goes out on the group's
 * sharded channel: the hash, the expiry index, the lease and the channel share one slot, so every
 * script is single-slot on Redis Cluster.
 */
class CacheStore {

    static final String LEASE_PREFIX = "larder:lease:";

    /** {1, value} for a live entry; else {2} when this caller took the lease, {0} when another holds it. */
    private static final String GET_OR_LEASE = """
            local value = redis.call('HGET', KEYS[1], ARGV[1])
            if value then
              local expires = redis.call('ZSCORE', KEYS[2], ARGV[1])
              if (not expires) or tonumber(expires) > tonumber(ARGV[2]) then
                return {1, value}
              end
            end
            if redis.call('SET', KEYS[3], ARGV[3], 'NX', 'PX', ARGV[4]) then
              return {2}
            end
            return {0}
            """;

    private static final String STORE_IF_LEASED = """
            if redis.call('GET', KEYS[3]) ~= ARGV[4] then
              return 0
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
            redis.call('DEL', KEYS[3])
            return 1
            """;

    private static final String PUT = """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
            redis.call('DEL', KEYS[3])
            redis.call('SPUBLISH', ARGV[5], ARGV[4])
            return 1
            """;

    private static final String INVALIDATE = """
            local removed = redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            redis.call('DEL', KEYS[3])
            redis.call('SPUBLISH', ARGV[3], ARGV[2])
            return removed
            """;

    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    /**
     * Lease tokens only need to differ from every other caller's, on any instance: a random prefix
     * per process and a counter. {@code UUID.randomUUID()} per lookup serialised every miss on the
     * one {@code SecureRandom} (a lock that the miss profile showed request threads waiting on).
     */
    private static final String TOKEN_PREFIX = UUID.randomUUID() + ":";
    private static final java.util.concurrent.atomic.AtomicLong TOKENS = new java.util.concurrent.atomic.AtomicLong();

    static String newToken() {
        return TOKEN_PREFIX + TOKENS.incrementAndGet();
    }

    private final RedissonClient redisson;
    private final String cache;
    private final Slots slots;
    private final Group[] groups;
    private final InvalidationBus bus;
    private final Duration leaseTtl;
    private final Codec codec;

    /** One group's part of the cache: a Redisson JCache cache (a hash and its expiry index) in the group's home slot. */
    private record Group(int index, CacheAsync<String, Object> entries, String hash, String timeouts, String channel) {
    }

    /**
     * @param perGroup the Redisson JCache cache of each group, in group order ({@link Slots#hashName})
     */
    CacheStore(RedissonClient redisson, String cache, Slots slots, List<Cache<String, Object>> perGroup,
               InvalidationBus bus, Duration leaseTtl) {
        this.redisson = redisson;
        this.cache = cache;
        this.slots = slots;
        this.groups = new Group[perGroup.size()];
        for (int g = 0; g < groups.length; g++) {
            String hash = perGroup.get(g).getName();
            groups[g] = new Group(g, perGroup.get(g).unwrap(CacheAsync.class), hash, "jcache_timeout_set:{" + hash + "}",
                    slots.channel(g));
        }
        this.bus = bus;
        this.leaseTtl = leaseTtl;
        this.codec = redisson.getConfig().getCodec();
    }

    private Group group(String field) {
        return groups[slots.groupOf(field)];
    }

    /** The entry, or null; an expired entry is a miss. */
    CompletionStage<Object> get(String field) {
        return group(field).entries().getAsync(field);
    }

    /**
     * One look at an entry that also claims the right to load it: the live entry; else, if nobody
     * holds the field's lease, a new lease for this caller; else neither (another caller is loading).
     * An entry past its expiry (Redisson's eviction has not reached it yet) counts as missing.
     */
    CompletionStage<Lookup> getOrLease(String field) {
        String token = newToken();
        Group group = group(field);
        return redisson.getScript(ByteArrayCodec.INSTANCE).<List<Object>>evalAsync(group.hash(), RScript.Mode.READ_WRITE,
                        GET_OR_LEASE, RScript.ReturnType.LIST, keys(group, field), bytes(field),
                        bytes(System.currentTimeMillis()), bytes(token), bytes(leaseTtl.toMillis()))
                .thenApply(answer -> {
                    long kind = (Long) answer.get(0);
                    if (kind == 1L) {
                        return Lookup.found(dev.larder.kit.redis.control.JsonCodec.value(codec, (byte[]) answer.get(1)));
                    }
                    return kind == 2L ? Lookup.leased(token) : Lookup.BUSY;
                });
    }

    /**
     * What {@link #getOrLease} found: an entry ({@code found}, as the codec read it), or the caller's
     * lease ({@code token}), or neither.
     */
    record Lookup(Object found, String token) {
        static final Lookup BUSY = new Lookup(null, null);

        static Lookup found(Object value) {
            return new Lookup(value, null);
        }

        static Lookup leased(String token) {
            return new Lookup(null, token);
        }
    }

    /** A lease token if this caller now holds the field's lease, null if another caller does. */
    CompletionStage<String> tryLease(String field) {
        String token = newToken();
        return redisson.<String>getBucket(lease(field), StringCodec.INSTANCE).setIfAbsentAsync(token, leaseTtl)
                .thenApply(taken -> taken ? token : null);
    }

    /** Releases the lease if the token still holds it; whether it did. */
    CompletionStage<Boolean> release(String field, String token) {
        return eval(group(field), RELEASE, List.of(lease(field)), bytes(token));
    }

    /** Stores a loaded value and releases the lease, only if {@code token} still holds it; else nothing. */
    CompletionStage<Boolean> storeLoaded(String field, Stamped value, String token) {
        Group group = group(field);
        return eval(group, STORE_IF_LEASED, keys(group, field), bytes(field), encode(value), bytes(value.expiresAt()), bytes(token));
    }

    /**
     * Stores a written value, fences out every loader of the field, and publishes the invalidation on
     * the group's channel. The value is encoded before the message is made: a value the codec refuses
     * must not use up a sequence number, or every other instance would see a gap.
     */
    CompletionStage<Boolean> put(String field, Stamped value) {
        byte[] encoded = encode(value);
        Group group = group(field);
        return eval(group, PUT, keys(group, field), bytes(field), encoded, bytes(value.expiresAt()),
                bytes(bus.message(group.index(), cache, field)), bytes(group.channel()));
    }

    /** Deletes the entry, fences out every loader of the field, and publishes the invalidation; whether there was one. */
    CompletionStage<Boolean> invalidate(String field) {
        Group group = group(field);
        return eval(group, INVALIDATE, keys(group, field), bytes(field), bytes(bus.message(group.index(), cache, field)),
                bytes(group.channel()));
    }

    /** Tells every instance to drop its near copy of {@code field} (the entry in Redis stays). */
    CompletionStage<Boolean> publish(String field) {
        return bus.publishAsync(slots.groupOf(field), cache, field);
    }

    /**
     * Deletes every entry and its expiry index. Loaders already running keep their leases (they cannot
     * be listed without a scan), so one of them may still store a value it read before: a
     * non-versioned cache's invalidate-all is not fenced (a versioned cache's is, by its version).
     */
    CompletionStage<Boolean> clearAsync() {
        CompletableFuture<?>[] cleared = java.util.Arrays.stream(groups)
                .map(g -> redisson.getKeys().deleteAsync(g.hash(), g.timeouts()).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(cleared).thenApply(done -> true);
    }

    /** The lease of a field: hash-tagged with its hash's name, so it lives in the same slot. */
    String lease(String field) {
        return LEASE_PREFIX + "{" + group(field).hash() + "}:" + field;
    }

    private List<Object> keys(Group group, String field) {
        return List.of(group.hash(), group.timeouts(), lease(field));
    }

    /** Runs a script on a group's slot whose answer is 1 for yes. */
    private CompletionStage<Boolean> eval(Group group, String lua, List<Object> keys, byte[]... args) {
        return redisson.getScript(ByteArrayCodec.INSTANCE).<Long>evalAsync(group.hash(), RScript.Mode.READ_WRITE, lua,
                RScript.ReturnType.LONG, keys, (Object[]) args).thenApply(result -> result != null && result == 1L);
    }

    private byte[] encode(Stamped value) {
        return dev.larder.kit.redis.control.JsonCodec.bytes(codec, value);
    }


    private static byte[] bytes(Object text) {
        return String.valueOf(text).getBytes(StandardCharsets.UTF_8);
    }
}
