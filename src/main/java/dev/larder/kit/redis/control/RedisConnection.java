package dev.larder.kit.redis.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

/** The application's one Redisson client, built from configuration and shut down on undeploy. */
@ApplicationScoped
public class RedisConnection {

    private static final Logger LOG = Logger.getLogger(RedisConnection.class.getName());

    @Inject
    @ConfigProperty(name = "larder.redis.address", defaultValue = "redis://127.0.0.1:6379")
    String address;

    @Inject
    @ConfigProperty(name = "larder.redis.config")
    Optional<String> configFile;

    @Inject
    @ConfigProperty(name = "larder.redis.password")
    Optional<String> password;

    @Inject
    @ConfigProperty(name = "larder.redis.pool-size", defaultValue = "16")
    int poolSize;

    @Inject
    @ConfigProperty(name = "larder.redis.minimum-idle", defaultValue = "2")
    int minimumIdle;

    @Inject
    @ConfigProperty(name = "larder.redis.threads", defaultValue = "4")
    int threads;

    @Inject
    @ConfigProperty(name = "larder.redis.timeout", defaultValue = "PT1S")
    Duration timeout;

    @Inject
    @ConfigProperty(name = "larder.redis.codec.allowed-types")
    List<String> allowedTypes;

    /**
     * {@code @Singleton}, not {@code @ApplicationScoped}: Redisson's JCache casts the client it is
     * given to its concrete class, which a CDI client proxy is not.
     */
    @Inject
    RedisConnectionEvents events;

    @Produces
    @Singleton
    RedissonClient client() {
        RedisSettings settings = new RedisSettings(address, configFile, password, poolSize, minimumIdle, threads, timeout, allowedTypes);
        LOG.info(() -> "Redis: " + configFile.map(f -> "Redisson configuration " + f).orElse(address));
        return Redisson.create(settings.toConfig(RedisConnection.class.getClassLoader(), events));
    }

    void shutdown(@Disposes RedissonClient client) {
        client.shutdown();
    }
}
