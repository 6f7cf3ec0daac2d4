package dev.larder.kit.caching.control;

import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.kit.redis.control.RedisConnection;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Cache counters over every live instance. Each instance publishes its counters every
 * {@code larder.caching.stats.interval} (1 s) to its own hash {@code larder:{stats}:<instance>}
 * (fields {@code <cache>|<counter>}, integers), which expires after three intervals, and lists itself
 * in the sorted set {@code larder:{stats}:instances} scored by that expiry (by Redis's clock; the set
 * expires with the last of them). A reader sums the hashes of the instances whose expiry lies ahead,
 * except its own, and adds its own live counters. So an instance that stops or dies drops out of the
 * sums within three intervals (at once when it stops cleanly), and nothing is ever scanned. Every
 * call goes through the breaker: with Redis unavailable nothing is published and the sums are
 * unknown (empty), never an error.
 */
@ApplicationScoped
public class ClusterStatistics {

    private static final Logger LOG = Logger.getLogger(ClusterStatistics.class.getName());

    static final String PREFIX = "larder:{stats}:";
    static final String INDEX = PREFIX + "instances";

    /** KEYS: index, own hash. ARGV: expiry (ms), instance, then field/value pairs. */
    private static final String PUBLISH = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local ttl = tonumber(ARGV[1])
            redis.call('DEL', KEYS[2])
            for i = 3, #ARGV, 2 do
              redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
            end
            redis.call('PEXPIRE', KEYS[2], ttl)
            redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if redis.call('PTTL', KEYS[1]) < ttl then
              redis.call('PEXPIRE', KEYS[1], ttl)
            end
            return 1
            """;

    /** KEYS: index. ARGV: hash prefix, the reader's own instance. Answers {instance, {field, value, ...}, ...}. */
    private static final String READ = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local out = {}
            for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')) do
              if id ~= ARGV[2] then
                local fields = redis.call('HGETALL', ARGV[1] .. id)
                if #fields > 0 then
                  table.insert(out, id)
                  table.insert(out, fields)
                end
              end
            end
            return out
            """;

    /** KEYS: index, own hash. ARGV: instance. */
    private static final String WITHDRAW = """
            redis.call('DEL', KEYS[2])
            redis.call('ZREM', KEYS[1], ARGV[1])
            return 1
            """;

    @Inject
    RedissonClient redisson;

    @Inject
    RedisBreaker breaker;

    @Inject
    CacheRegistry registry;

    @Resource
    ManagedScheduledExecutorService scheduler;

    String instance = UUID.randomUUID().toString();
    Duration expiry = Duration.ofSeconds(3);
    private ScheduledFuture<?> publishing;
    private volatile boolean failing;

    void start(@Observes @Priority(RedisConnection.FIRST + 30) @Initialized(ApplicationScoped.class) Object deployed) {
        Duration interval = ConfigProvider.getConfig(ClusterStatistics.class.getClassLoader())
                .getOptionalValue("larder.caching.stats.interval", String.class).map(Duration::parse).orElse(Duration.ofSeconds(1));
        expiry = interval.multipliedBy(3);
        publishing = scheduler.scheduleWithFixedDelay(this::publishOwn, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Before the application's beans are destroyed (in {@code @PreDestroy} the Redis client may be gone). */
    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object undeploying) {
        if (publishing != null) {
            publishing.cancel(false);
            try {
                withdraw();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Could not withdraw the cache statistics at shutdown; they expire", e);
            }
        }
    }

    /** Every interval; skipped while the breaker is open (nothing to publish to), and never lets the schedule die. */
    private void publishOwn() {
        if (!breaker.closed()) {
            return;
        }
        try {
            publish(own());
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, "Could not publish the cache statistics; retrying every interval", e);
            }
            return;
        }
        failing = false;
    }

    /** This instance's counters, cache by cache. */
    private List<CacheStats> own() {
        return registry.all().stream().map(NamedCache::stats).toList();
    }

    /** Publishes {@code own} as this instance's counters; false if Redis could not take them. */
    boolean publish(Collection<CacheStats> own) {
        List<Object> args = new ArrayList<>();
        args.add(Long.toString(expiry.toMillis()));
        args.add(instance);
        for (CacheStats stats : own) {
            ClusterStats.COUNTERS.forEach((counter, value) -> {
                args.add(stats.name() + "|" + counter);
                args.add(Long.toString(value.applyAsLong(stats)));
            });
        }
        return Boolean.TRUE.equals(breaker.callAsync("publish the cache statistics", () -> redisson.getScript(StringCodec.INSTANCE)
                .<Long>evalAsync(INDEX, RScript.Mode.READ_WRITE, PUBLISH, RScript.ReturnType.LONG,
                        List.of(INDEX, PREFIX + instance), args.toArray())
                .thenApply(done -> true), false));
    }

    /** Takes this instance out of the sums at once (a clean stop). */
    boolean withdraw() {
        return Boolean.TRUE.equals(breaker.callAsync("withdraw the cache statistics", () -> redisson.getScript(StringCodec.INSTANCE)
                .<Long>evalAsync(INDEX, RScript.Mode.READ_WRITE, WITHDRAW, RScript.ReturnType.LONG,
                        List.of(INDEX, PREFIX + instance), instance)
                .thenApply(done -> true), false));
    }

    /** Each cache's counters summed over this instance (live) and every other live one; empty when Redis cannot say. */
    public Optional<Map<String, ClusterStats>> sums(Collection<CacheStats> own) {
        List<Object> others = breaker.callAsync("read the cache statistics", () -> redisson.getScript(StringCodec.INSTANCE)
                .<List<Object>>evalAsync(INDEX, RScript.Mode.READ_ONLY, READ, RScript.ReturnType.LIST,
                        List.of(INDEX), PREFIX, instance), null);
        if (others == null) {
            return Optional.empty();
        }
        Map<String, Map<String, Long>> sums = new HashMap<>();
        Map<String, Integer> instances = new HashMap<>();
        for (CacheStats stats : own) {
            ClusterStats.COUNTERS.forEach((counter, value) -> add(sums, stats.name(), counter, value.applyAsLong(stats)));
            instances.merge(stats.name(), 1, Integer::sum);
        }
        for (int i = 1; i < others.size(); i += 2) {
            if (others.get(i) instanceof List<?> fields) {
                addInstance(sums, instances, fields);
            }
        }
        Map<String, ClusterStats> answer = new HashMap<>();
        sums.forEach((cache, counters) -> answer.put(cache, ClusterStats.of(instances.getOrDefault(cache, 0), counters)));
        return Optional.of(answer);
    }

    private static void addInstance(Map<String, Map<String, Long>> sums, Map<String, Integer> instances, List<?> fields) {
        Set<String> caches = new HashSet<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String field = String.valueOf(fields.get(i));
            int bar = field.lastIndexOf('|');
            if (bar <= 0 || !ClusterStats.COUNTERS.containsKey(field.substring(bar + 1))) {
                continue; // a counter of another version of the application
            }
            try {
                add(sums, field.substring(0, bar), field.substring(bar + 1), Long.parseLong(String.valueOf(fields.get(i + 1))));
                caches.add(field.substring(0, bar));
            } catch (NumberFormatException e) {
                // not a count: ignored, like an unknown counter
            }
        }
        caches.forEach(cache -> instances.merge(cache, 1, Integer::sum));
    }

    private static void add(Map<String, Map<String, Long>> sums, String cache, String counter, long value) {
        sums.computeIfAbsent(cache, c -> new HashMap<>()).merge(counter, value, Long::sum);
    }
}
