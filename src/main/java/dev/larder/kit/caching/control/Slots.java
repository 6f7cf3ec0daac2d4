package dev.larder.kit.caching.control;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.redisson.connection.CRC16;

/**
 * Where a cache's data lives on Redis Cluster. The 16,384 hash slots are cut into {@code groups}
 * equal ranges and one slot is chosen in the middle of each (its <em>home slot</em>); every cache is
 * split into one Redisson JCache cache per group, each a hash whose name hashes to that group's home
 * slot, and each group has its own invalidation channel in the same slot. So:
 * <ul>
 * <li>a cache's entries spread evenly over the masters (with {@code groups} a multiple of the number
 *     of masters, exactly evenly when the cluster's slots are split evenly, as {@code redis-cli
 *     --cluster create} does);</li>
 * <li>an entry, its expiry index, its lease and its group's channel share a slot, so the scripts that
 *     store an entry, break its lease and {@code SPUBLISH} its invalidation are single-slot;</li>
 * <li>the bus uses as many sharded channels as there are groups, whatever the number of caches.</li>
 * </ul>
 * A hash's name cannot carry a hash tag (Redisson's JCache wraps the whole name in braces for its
 * expiry index, which would then hash elsewhere), so it ends in a short suffix searched at start-up
 * so that the whole name hashes to the home slot. The search is deterministic: every instance with
 * the same {@code groups} finds the same names. Changing {@code groups} moves every entry to new
 * names; the old ones are left to expire.
 */
public final class Slots {

    public static final int SLOTS = 16_384;
    public static final int DEFAULT_GROUPS = 12;
    static final String CACHE_PREFIX = "larder:cache:";
    static final String CHANNEL_PREFIX = "larder:invalidations:";
    static final String BEAT_PREFIX = "larder:bus:";

    private static final Map<String, String> NAMES = new ConcurrentHashMap<>();

    private final int groups;
    private final String[] tags;

    public Slots(int groups) {
        if (groups < 1 || groups > 1024) {
            throw new IllegalArgumentException("larder.caching.slot-groups must be between 1 and 1024, got " + groups);
        }
        this.groups = groups;
        this.tags = new String[groups];
        for (int g = 0; g < groups; g++) {
            int home = homeSlot(g);
            tags[g] = NAMES.computeIfAbsent("tag|" + home, k -> search("g", home));
        }
    }

    public int groups() {
        return groups;
    }

    /** The group of a field: a spread of {@link String#hashCode()}, the same on every JVM. */
    public int groupOf(String field) {
        int h = field.hashCode() * 0x9E3779B9;
        return Math.floorMod(h ^ (h >>> 16), groups);
    }

    /** The slot in the middle of a group's range. */
    public int homeSlot(int group) {
        return (int) (((2L * group + 1) * SLOTS) / (2L * groups));
    }

    /** The name of the hash (a Redisson JCache cache) holding a cache's entries of one group. */
    public String hashName(String cache, int group) {
        int home = homeSlot(group);
        return NAMES.computeIfAbsent(cache + "|" + home, k -> search(CACHE_PREFIX + cache + ":", home));
    }

    /** The hash holding a cache's entry for {@code field}. */
    public String hashOf(String cache, String field) {
        return hashName(cache, groupOf(field));
    }

    /** A group's invalidation channel (sharded pub/sub, in the group's home slot). */
    public String channel(int group) {
        return CHANNEL_PREFIX + "{" + tags[group] + "}";
    }

    /** The key whose presence says a group's channel had a heartbeat lately (in the group's home slot). */
    String beatKey(int group) {
        return BEAT_PREFIX + "{" + tags[group] + "}:beat";
    }

    /** The Redis Cluster slot of a key or shard channel, hash tags included. */
    public static int slot(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        return CRC16.crc16(key.getBytes(StandardCharsets.UTF_8)) % SLOTS;
    }

    /** The first {@code prefix + n} (n = 0, 1, ...) that hashes to {@code slot}; about 16,384 tries. */
    private static String search(String prefix, int slot) {
        for (long n = 0; ; n++) {
            String candidate = prefix + Long.toString(n, 36);
            if (slot(candidate) == slot) {
                return candidate;
            }
        }
    }
}
