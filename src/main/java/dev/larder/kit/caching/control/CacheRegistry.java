package dev.larder.kit.caching.control;

import dev.larder.kit.redis.control.CodecErrors;
import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.kit.redis.control.RedisConnectionEvents;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import dev.larder.kit.redis.control.RedisConnection;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.redisson.api.RedissonClient;
import org.redisson.jcache.configuration.RedissonConfiguration;

/**
 * The named caches of this application, each stored in Redis as one Redisson JCache cache per slot
 * group ({@link Slots}: {@code larder:cache:<name>:<suffix>}, spread over a cluster's masters), configured by {@link CacheSettings}, and the invalidation bus that
 * keeps their near caches coherent across instances. Every cache the application declares is opened
 * at deployment, with the application's configuration (read through its own class loader), not by
 * whichever request comes first.
 */
@ApplicationScoped
public class CacheRegistry {

    static final String PROVIDER = "org.redisson.jcache.JCachingProvider";

    @Inject
    RedissonClient redisson;

    @Inject
    RedisBreaker breaker;

    @Inject
    CodecErrors codecErrors;

    @Inject
    CachingExtension declared;

    @Inject
    RedisConnectionEvents connections;

    private final ConcurrentMap<String, NamedCache> caches = new ConcurrentHashMap<>();
    private final Config config = ConfigProvider.getConfig(CacheRegistry.class.getClassLoader());
    private CacheManager manager;
    private InvalidationBus bus;
    private Slots slots;

    /** Opens every declared cache at deployment. */
    void start(@Observes @Priority(RedisConnection.FIRST + 10) @Initialized(ApplicationScoped.class) Object deployed) {
        declared.cacheNames().forEach(this::cache);
    }

    @PostConstruct
    void open() {
        ClassLoader loader = CacheRegistry.class.getClassLoader();
        CachingProvider provider = Caching.getCachingProvider(PROVIDER, loader);
        manager = provider.getCacheManager(provider.getDefaultURI(), loader);
        slots = new Slots(config.getOptionalValue("larder.caching.slot-groups", Integer.class).orElse(Slots.DEFAULT_GROUPS));
        bus = new InvalidationBus(redisson, slots, (cache, field) -> Optional.ofNullable(caches.get(cache))
                .ifPresent(c -> c.invalidatedElsewhere(field)), this::clearNearCaches);
        breaker.whenOpened(bus::connectionLost);
        connections.whenDisconnected(bus::connectionLost);
    }

    @PreDestroy
    void close() {
        bus.close();
    }

    /** The cache of that name, created in Redis on first use. */
    public NamedCache cache(String name) {
        return caches.computeIfAbsent(name, this::create);
    }

    /** A cache that the application declares (in an annotation) or has used, if it is one. */
    public Optional<NamedCache> known(String name) {
        return names().contains(name) ? Optional.of(cache(name)) : Optional.empty();
    }

    /** Every cache the application declares or has used, by name. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>(declared.cacheNames());
        names.addAll(caches.keySet());
        return names;
    }

    public Collection<NamedCache> all() {
        return names().stream().map(this::cache).toList();
    }

    private void clearNearCaches() {
        caches.values().forEach(NamedCache::clearNear);
    }

    private NamedCache create(String name) {
        CacheSettings settings = CacheSettings.of(name, key -> config.getOptionalValue(key, String.class));
        return open(name, settings, slots, manager, redisson, bus, breaker, codecErrors);
    }

    /** Opens one cache; also how tests wire a cache without CDI. */
    static NamedCache open(String name, CacheSettings settings, Slots slots, CacheManager manager, RedissonClient redisson,
                           InvalidationBus bus, RedisBreaker breaker, CodecErrors codecErrors) {
        if (name.contains("{") || name.contains("}")) {
            throw new IllegalArgumentException("A cache name cannot contain braces (Redis Cluster hash tags): " + name);
        }
        JitteredExpiry expiry = new JitteredExpiry(settings.ttl(), settings.jitter());
        MutableConfiguration<String, Object> jcache = new MutableConfiguration<String, Object>()
                .setExpiryPolicyFactory(FactoryBuilder.factoryOf(expiry));
        List<Cache<String, Object>> perGroup = new ArrayList<>();
        for (int g = 0; g < slots.groups(); g++) {
            String redisName = slots.hashName(name, g);
            perGroup.add(Optional.ofNullable(manager.<String, Object>getCache(redisName))
                    .orElseGet(() -> manager.createCache(redisName, RedissonConfiguration.fromInstance(redisson, jcache))));
        }
        Optional<NamespaceVersion> version = settings.versioned()
                ? Optional.of(new NamespaceVersion(redisson, name, settings.ttl().multipliedBy(4).plus(Duration.ofHours(1))))
                : Optional.empty();
        return new NamedCache(name, settings, new CacheStore(redisson, name, slots, perGroup, bus, settings.leaseTtl()), version, expiry, bus,
                breaker, codecErrors);
    }
}
