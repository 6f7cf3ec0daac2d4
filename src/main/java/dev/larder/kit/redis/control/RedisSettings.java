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
 * lazily so that the application deploys while Redis is down.
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

    public Config toConfig(ClassLoader classLoader) {
        return toConfig(classLoader, new RedisConnectionEvents());
    }

    public Config toConfig(ClassLoader classLoader, RedisConnectionEvents events) {
        Config config = configFile.map(RedisSettings::readYaml).orElseGet(this::singleServer);
        config.setCodec(new JsonCodec(JsonMappers.storage(), allowedTypes, classLoader));
        config.setLazyInitialization(true);
        config.setUseScriptCache(true); // EVALSHA: the limiter, leases and JCache all run Lua per call
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
                .setTimeout((int) timeout.toMillis())
                .setConnectTimeout((int) timeout.toMillis())
                .setRetryAttempts(1);
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
