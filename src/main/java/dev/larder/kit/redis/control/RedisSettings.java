package dev.larder.kit.redis.control;

import dev.larder.kit.json.JsonMappers;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

/**
 * Where Redis is and how to talk to it: a Redisson YAML file (single, Sentinel or Cluster) wins over
 * a single address. Whatever the source, the codec is always {@link JsonCodec}, and the client starts
 * lazily so that the application deploys while Redis is down. A call that gets no answer within the
 * timeout fails once, without retries: the {@link RedisBreaker} decides what happens next, and a
 * request never waits for Redis longer than the timeout.
 */
public record RedisSettings(
        String address,
        Optional<String> configFile,
        Optional<String> password,
        int poolSize,
        int minimumIdle,
        int nettyThreads,
        Duration timeout,
        List<String> allowedTypes) {

    /** The invalidation bus subscribes to one sharded channel per slot group (12 by default): room for them all on one connection. */
    static final int SUBSCRIPTIONS_PER_CONNECTION = 64;

    public RedisSettings {
        allowedTypes = allowedTypes == null ? List.of()
                : allowedTypes.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
        if (allowedTypes.isEmpty()) {
            throw new IllegalArgumentException("larder.redis.codec.allowed-types is empty: nothing could be read back from"
                    + " Redis. List the packages (ending in '.') and classes that cached values and session attributes use,"
                    + " e.g. dev.larder.,java.lang.String,java.lang.Long");
        }
    }

    /** The settings from MicroProfile Config keys {@code larder.redis.*}, with the documented defaults. */
    public static RedisSettings from(org.eclipse.microprofile.config.Config config) {
        return new RedisSettings(
                config.getOptionalValue("larder.redis.address", String.class).orElse("redis://127.0.0.1:6379"),
                config.getOptionalValue("larder.redis.config", String.class).filter(f -> !f.isBlank()),
                config.getOptionalValue("larder.redis.password", String.class),
                config.getOptionalValue("larder.redis.pool-size", Integer.class).orElse(16),
                config.getOptionalValue("larder.redis.minimum-idle", Integer.class).orElse(2),
                config.getOptionalValue("larder.redis.threads", Integer.class).orElse(4),
                config.getOptionalValue("larder.redis.timeout", String.class).map(Duration::parse).orElse(Duration.ofSeconds(1)),
                config.getOptionalValues("larder.redis.codec.allowed-types", String.class).orElse(List.of()));
    }

    public Config toConfig(ClassLoader classLoader) {
        return toConfig(classLoader, new RedisConnectionEvents());
    }

    public Config toConfig(ClassLoader classLoader, RedisConnectionEvents events) {
        Config config = configFile.map(RedisSettings::readYaml).orElseGet(this::singleServer);
        config.setCodec(new JsonCodec(JsonMappers.storage(), allowedTypes, classLoader));
        config.setLazyInitialization(true);
        config.setUseScriptCache(true); // EVALSHA: the limiter, leases and JCache all run Lua per call
        config.setUseThreadClassLoader(false); // the codec keeps the application's class loader, whoever calls
        config.setConnectionListener(events);
        return config;
    }

    private Config singleServer() {
        if (!address.startsWith("redis://") && !address.startsWith("rediss://")) {
            throw new IllegalArgumentException("larder.redis.address must start with redis:// or rediss://, got " + address);
        }
        Config config = new Config();
        config.setNettyThreads(nettyThreads);
        config.setThreads(nettyThreads);
        SingleServerConfig single = config.useSingleServer()
                .setAddress(address)
                .setConnectionPoolSize(poolSize)
                .setConnectionMinimumIdleSize(Math.min(minimumIdle, poolSize))
                .setSubscriptionConnectionPoolSize(Math.max(2, poolSize / 4))
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionsPerConnection(SUBSCRIPTIONS_PER_CONNECTION)
                .setTimeout((int) timeout.toMillis())
                .setConnectTimeout((int) timeout.toMillis())
                .setRetryAttempts(0);
        password.filter(p -> !p.isBlank()).ifPresent(single::setPassword);
        return config;
    }

    private static Config readYaml(String path) {
        try {
            return Config.fromYAML(new File(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Redisson configuration " + path, e);
        }
    }
}
