package dev.larder.kit.sessions.control;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.redisson.api.RBatch;
import org.redisson.api.RMapAsync;
import org.redisson.api.RedissonClient;

/**
 * Sessions in Redis: one hash {@code larder:session:<id>} per session, attribute values as JSON
 * through the client's allow-listed codec, expiring {@code timeout} after the last request that
 * used it. Ids are 256 random bits from {@link SecureRandom}, base64url.
 */
public class SessionStore {

    public static final String PREFIX = "larder:session:";
    static final String CREATED = "@created";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RedissonClient redisson;

    public SessionStore(RedissonClient redisson) {
        this.redisson = redisson;
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
        return redisson.<String, Object>getMap(PREFIX + id).readAllMap();
    }

    /** Writes what changed in one round trip and slides the expiry. */
    public void save(String id, Map<String, Object> changed, Collection<String> removed, Duration timeout) {
        RBatch batch = redisson.createBatch();
        RMapAsync<String, Object> map = batch.getMap(PREFIX + id);
        if (!changed.isEmpty()) {
            map.putAllAsync(changed);
        }
        if (!removed.isEmpty()) {
            map.fastRemoveAsync(removed.toArray(String[]::new));
        }
        map.expireAsync(timeout);
        batch.execute();
    }

    /** Moves a session to a fresh id: the old id stops working at once. */
    public String rotate(String oldId, Map<String, Object> entries, Duration timeout) {
        String newId = newId();
        RBatch batch = redisson.createBatch();
        RMapAsync<String, Object> map = batch.getMap(PREFIX + newId);
        map.putAllAsync(entries);
        map.expireAsync(timeout);
        batch.getMap(PREFIX + oldId).deleteAsync();
        batch.execute();
        return newId;
    }

    public void delete(String id) {
        redisson.getMap(PREFIX + id).delete();
    }
}
