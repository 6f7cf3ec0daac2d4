package dev.larder.kit.caching.control;

import dev.larder.kit.redis.control.RedisOutage;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
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
import org.redisson.api.RedissonClient;
import org.redisson.jcache.configuration.RedissonConfiguration;

/**
 * The named caches of this application, each a Redisson JCache cache stored in Redis under
 * {@code larder:cache:<name>}. Settings per cache come from MicroProfile Config:
 * {@code larder.caching.<name>.ttl} (ISO-8601, default {@code larder.caching.default.ttl}),
 * {@code larder.caching.<name>.jitter} (share of the TTL, default 0.1) and
 * {@code larder.caching.<name>.versioned} (invalidate-all by namespace version instead of a clear).
 */
@ApplicationScoped
public class CacheRegistry {

    static final String REDIS_PREFIX = "larder:cache:";
    static final String PROVIDER = "org.redisson.jcache.JCachingProvider";

    @Inject
    RedissonClient redisson;

    @Inject
    RedisOutage outage;

    @Inject
    Config config;

    @Inject
    CachingExtension declared;

    private final ConcurrentMap<String, NamedCache> caches = new ConcurrentHashMap<>();
    private CacheManager manager;

    @PostConstruct
    void open() {
        ClassLoader loader = CacheRegistry.class.getClassLoader();
        CachingProvider provider = Caching.getCachingProvider(PROVIDER, loader);
        manager = provider.getCacheManager(provider.getDefaultURI(), loader);
    }

    /** The cache of that name, created in Redis on first use. */
    public NamedCache cache(String name) {
        return caches.computeIfAbsent(name, this::create);
    }

    /** A cache that the application declares (in an annotation or in configuration), if it is one. */
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

    private NamedCache create(String name) {
        Duration ttl = setting(name, "ttl", Duration.class).orElseGet(() -> defaultTtl());
        double jitter = setting(name, "jitter", Double.class).orElse(0.1);
        boolean versioned = setting(name, "versioned", Boolean.class).orElse(false);
        MutableConfiguration<String, Object> jcache = new MutableConfiguration<String, Object>()
                .setExpiryPolicyFactory(FactoryBuilder.factoryOf(new JitteredExpiry(ttl, jitter)));
        String redisName = REDIS_PREFIX + name;
        Cache<String, Object> store = Optional.ofNullable(manager.<String, Object>getCache(redisName))
                .orElseGet(() -> manager.createCache(redisName, RedissonConfiguration.fromInstance(redisson, jcache)));
        Optional<NamespaceVersion> version = versioned
                ? Optional.of(new NamespaceVersion(redisson, name, ttl.multipliedBy(4).plus(Duration.ofHours(1))))
                : Optional.empty();
        return new NamedCache(name, store, version, outage);
    }

    private Duration defaultTtl() {
        return config.getOptionalValue("larder.caching.default.ttl", Duration.class).orElse(Duration.ofMinutes(5));
    }

    private <T> Optional<T> setting(String cache, String property, Class<T> type) {
        return config.getOptionalValue("larder.caching." + cache + "." + property, type);
    }
}
