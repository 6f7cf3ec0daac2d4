package dev.larder.kit.sessions.control;

import dev.larder.kit.redis.control.CodecErrors;
import dev.larder.kit.redis.control.JsonCodec;
import dev.larder.kit.redis.control.RedisFailures;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.Codec;
import org.redisson.client.codec.StringCodec;
import org.redisson.codec.CompositeCodec;

/**
 * Sessions in Redis: one hash {@code larder:session:<id>} per session, one field per attribute, values
 * as JSON through the client's allow-listed codec, expiring {@code timeout} after the last request
 * that used it. Ids are 256 random bits from {@link SecureRandom}, base64url.
 *
 * <p>Every write is one Lua script on one key, run with {@code RScript.eval} (which loads the script
 * again when Redis answers {@code NOSCRIPT}, e.g. after a restart; a test restarts Redis between
 * saves) and routed by that key, so it runs on a Cluster: a save touches only the fields that changed, so concurrent
 * requests that change different attributes all survive, and it writes nothing at all when the key
 * is gone (invalidated, rotated away or expired) unless the session was created by the saving request.
 *
 * <p>A value the codec cannot read back (a type off the allow-list, a class renamed by a rolling
 * deploy) is a bug, not an outage: it is counted and logged once per type by {@link CodecErrors} and
 * left out of the loaded session, while its field stays in Redis (an instance that can read it still
 * does) until the session ends or a request sets that attribute again. A value it cannot write throws
 * while the save is prepared, before anything reaches Redis.
 */
public class SessionStore {

    public static final String PREFIX = "larder:session:";
    static final String CREATED = "@created";

    /** KEYS[1] the session; ARGV: may-create flag, timeout ms, number of changed fields n, n name/value pairs, removed names. */
    private static final String SAVE = """
            if ARGV[1] ~= '1' and redis.call('EXISTS', KEYS[1]) == 0 then
              return 0
            end
            local n = tonumber(ARGV[3])
            for i = 4, 3 + 2 * n, 2 do
              redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
            end
            for i = 4 + 2 * n, #ARGV do
              redis.call('HDEL', KEYS[1], ARGV[i])
            end
            if redis.call('EXISTS', KEYS[1]) == 1 then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 1
            """;

    /** KEYS[1] the session: all its fields and values, and the key deleted, atomically; empty if there was none. */
    private static final String TAKE = """
            local entries = redis.call('HGETALL', KEYS[1])
            redis.call('DEL', KEYS[1])
            return entries
            """;

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Field names as text, values as the stored bytes: each value is decoded on its own. */
    private static final Codec RAW = new CompositeCodec(StringCodec.INSTANCE, ByteArrayCodec.INSTANCE);

    private final RedissonClient redisson;
    private final Codec codec;
    private final CodecErrors codecErrors;

    /** A store whose codec errors are counted by a {@link CodecErrors} of its own (tests, tools). */
    public SessionStore(RedissonClient redisson) {
        this(redisson, new CodecErrors());
    }

    public SessionStore(RedissonClient redisson, CodecErrors codecErrors) {
        this.redisson = redisson;
        this.codec = redisson.getConfig().getCodec();
        this.codecErrors = codecErrors;
    }

    /** Where this store counts values that could not go through the codec. */
    public CodecErrors codecErrors() {
        return codecErrors;
    }

    public static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether a string could be a session id at all (so junk never reaches Redis). */
    public static boolean wellFormed(String id) {
        return id != null && id.matches("[A-Za-z0-9_-]{43}");
    }

    /** The stored entries (attributes under their names, plus {@code @created}); empty when there is no such session. */
    public Map<String, Object> load(String id) {
        return loadAsync(id).toCompletableFuture().join();
    }

    /**
     * {@link #load}, as a future (so that the shared breaker can stop waiting for it). A value the
     * codec cannot read is left out (counted and logged once per type).
     */
    public CompletionStage<Map<String, Object>> loadAsync(String id) {
        return redisson.<String, byte[]>getMap(PREFIX + id, RAW).readAllMapAsync().thenApply(this::decoded);
    }

    private Map<String, Object> decoded(Map<String, byte[]> stored) {
        Map<String, Object> entries = new LinkedHashMap<>();
        stored.forEach((name, bytes) -> {
            try {
                entries.put(name, JsonCodec.value(codec, bytes));
            } catch (RuntimeException e) {
                if (!RedisFailures.isCodecError(e)) {
                    throw e;
                }
                codecErrors.record("read session attribute '" + name + "' (left out of the session)", new RedisFailures.CodecError(e));
            }
        });
        return entries;
    }

    /**
     * Writes the changed attributes, deletes the removed ones and slides the expiry, in one atomic
     * step; only if the session still exists, or {@code mayCreate} (the session was created by this
     * request and has never been stored). Whether anything was written.
     */
    public boolean save(String id, boolean mayCreate, Map<String, Object> changed, Collection<String> removed,
                        Duration timeout) {
        return saveAsync(id, mayCreate, changed, removed, timeout).toCompletableFuture().join();
    }

    /** {@link #save}, as a future; the values are encoded before it is returned (a codec error is thrown here). */
    public CompletionStage<Boolean> saveAsync(String id, boolean mayCreate, Map<String, Object> changed, Collection<String> removed,
                                              Duration timeout) {
        Map<String, byte[]> encoded = new LinkedHashMap<>();
        changed.forEach((name, value) -> encoded.put(name, encode(value)));
        return writeAsync(id, mayCreate, encoded, removed, timeout);
    }

    /**
     * Moves a session to a fresh id: takes the stored state (with what concurrent requests saved)
     * and deletes the old key in one step, then stores it under the new id with this request's
     * changes on top. The new id, or null if the old session no longer existed (then nothing is
     * written). Two steps, each on one key, so that it runs on a Cluster: if the second fails, the
     * session is lost rather than left under an id that should be dead.
     */
    public String rotate(String oldId, Map<String, Object> changed, Collection<String> removed, Duration timeout) {
        List<Object> taken = redisson.getScript(ByteArrayCodec.INSTANCE).eval(PREFIX + oldId, RScript.Mode.READ_WRITE,
                TAKE, RScript.ReturnType.LIST, List.of(PREFIX + oldId));
        if (taken == null || taken.isEmpty()) {
            return null;
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i + 1 < taken.size(); i += 2) {
            entries.put(new String((byte[]) taken.get(i), StandardCharsets.UTF_8), (byte[]) taken.get(i + 1));
        }
        removed.forEach(entries::remove);
        changed.forEach((name, value) -> entries.put(name, encode(value)));
        String newId = newId();
        writeAsync(newId, true, entries, List.of(), timeout).toCompletableFuture().join();
        return newId;
    }

    public void delete(String id) {
        redisson.getMap(PREFIX + id).delete();
    }

    private CompletionStage<Boolean> writeAsync(String id, boolean mayCreate, Map<String, byte[]> changed,
                                                Collection<String> removed, Duration timeout) {
        List<Object> args = new ArrayList<>();
        args.add(bytes(mayCreate ? "1" : "0"));
        args.add(bytes(Long.toString(Math.max(1, timeout.toMillis()))));
        args.add(bytes(Integer.toString(changed.size())));
        changed.forEach((name, value) -> {
            args.add(bytes(name));
            args.add(value);
        });
        removed.forEach(name -> args.add(bytes(name)));
        return redisson.getScript(ByteArrayCodec.INSTANCE).<Long>evalAsync(PREFIX + id, RScript.Mode.READ_WRITE, SAVE,
                RScript.ReturnType.LONG, List.<Object>of(PREFIX + id), args.toArray()).thenApply(written -> written != null && written == 1L);
    }

    private byte[] encode(Object value) {
        return JsonCodec.bytes(codec, value);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
