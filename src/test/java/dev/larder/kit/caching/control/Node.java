package dev.larder.kit.caching.control;

import dev.larder.kit.redis.control.RedisConnectionEvents;
import dev.larder.kit.redis.control.CodecErrors;
import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.kit.redis.control.RedisSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

/**
 * One simulated application instance, wired by hand as CDI would: its own Redisson client, JCache
 * manager, invalidation bus, single-flight and engine, on a shared real Redis.
 */
final class Node implements AutoCloseable {

    private static int instances;

    final RedissonClient redisson;
    final RedisBreaker breaker;
    final CodecErrors codecErrors = new CodecErrors();
    final CacheEngine engine = new CacheEngine();
    final InvalidationBus bus;
    final Slots slots = new Slots(Slots.DEFAULT_GROUPS);
    private final CacheManager manager;
    private final Map<String, NamedCache> caches = new ConcurrentHashMap<>();

    Node(String redisAddress) {
        this(redisAddress, Optional.empty());
    }

    /** An instance on the Redis that a Redisson YAML file describes (a cluster, say). */
    Node(java.nio.file.Path redissonYaml) {
        this("redis://unused:0", Optional.of(redissonYaml.toString()));
    }

    private Node(String redisAddress, Optional<String> configFile) {
        RedisConnectionEvents connections = new RedisConnectionEvents();
        redisson = Redisson.create(new RedisSettings(redisAddress, configFile, Optional.empty(), 8, 1, 4,
                Duration.ofSeconds(1), List.of("dev.larder.", "java.lang.String")).toConfig(Node.class.getClassLoader(), connections));
        manager = Caching.getCachingProvider(CacheRegistry.PROVIDER, Node.class.getClassLoader())
                .getCacheManager(URI.create("urn:larder-test-node-" + (++instances)), Node.class.getClassLoader());
        bus = new InvalidationBus(redisson, slots, (cache, field) -> Optional.ofNullable(caches.get(cache))
                .ifPresent(c -> c.invalidatedElsewhere(field)), () -> caches.values().forEach(NamedCache::clearNear));
        breaker = new RedisBreaker(() -> redisson.getKeys().count() >= 0, Duration.ofMillis(100));
        breaker.whenOpened(bus::connectionLost);
        connections.whenDisconnected(bus::connectionLost);
        engine.flights = new SingleFlight();
        awaitLive();
    }

    /** Near caches serve only once the instance hears every invalidation channel. */
    void awaitLive() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!bus.live()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the invalidation bus never heard every channel");
            }
            Thread.onSpinWait();
        }
    }

    NamedCache cache(String name, CacheSettings settings) {
        return caches.computeIfAbsent(name, n -> CacheRegistry.open(n, settings, slots, manager, redisson, bus, breaker, codecErrors));
    }

    /** A {@code @CacheResult} call of key {@code key} whose method body is {@code loader}. */
    Object get(NamedCache cache, String key, Callable<Object> loader) throws Exception {
        CacheOperation operation = new CacheOperation(CacheOperation.Kind.RESULT, cache.name(), new int[]{0}, -1, true, false);
        return engine.result(cache, operation, cache.field(key), loader);
    }

    static CacheSettings settings(Duration ttl, double beta, Duration leaseTtl, Duration leaseWait, boolean near) {
        return new CacheSettings(ttl, 0, false, beta, leaseTtl, leaseWait, near, 1000, ttl);
    }

    @Override
    public void close() {
        bus.close();
        breaker.close();
        manager.close();
        redisson.shutdown();
    }
}
