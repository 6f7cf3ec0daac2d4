package dev.larder.kit.redis.control;

import dev.larder.kit.json.JsonMappers;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

/**
 * Where Redis is and how to talk to it: a Redisson YAML file (single, Sentinel, Cluster, replicated
 * or master-slave) wins over a single address. Whatever the source, the codec is always
 * {@link JsonCodec}, the client starts lazily so that the application deploys while Redis is down,
 * and the application's own settings apply ({@link ServerSettings}): a call that gets no answer
 * within the timeout fails once, without retries, so the {@link RedisBreaker} decides what happens
 * next and a request never waits for Redis longer than the timeout.
 *
 * @param username   ACL user to authenticate as (needs a password); unset: the YAML's, else {@code default}
 * @param tlsCaFile  PEM file of the certificate authorities that sign the servers' certificates ({@code rediss://})
 * @param readMode   where reads go when there are replicas
 */
public record RedisSettings(
        String address,
        Optional<String> configFile,
        Optional<String> password,
        int poolSize,
        int minimumIdle,
        int nettyThreads,
        Duration timeout,
        List<String> allowedTypes,
        Optional<String> username,
        Optional<String> tlsCaFile,
        ReadMode readMode) {

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
        password = password.filter(p -> !p.isBlank());
        username = username.filter(u -> !u.isBlank());
        tlsCaFile = tlsCaFile.filter(f -> !f.isBlank());
        readMode = readMode == null ? ReadMode.MASTER : readMode;
    }

    /** Plain settings: no ACL user, the JDK's trusted certificate authorities, reads from masters. */
    public RedisSettings(String address, Optional<String> configFile, Optional<String> password, int poolSize,
            int minimumIdle, int nettyThreads, Duration timeout, List<String> allowedTypes) {
        this(address, configFile, password, poolSize, minimumIdle, nettyThreads, timeout, allowedTypes,
                Optional.empty(), Optional.empty(), ReadMode.MASTER);
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
                config.getOptionalValues("larder.redis.codec.allowed-types", String.class).orElse(List.of()),
                config.getOptionalValue("larder.redis.username", String.class),
                config.getOptionalValue("larder.redis.tls.ca-file", String.class),
                config.getOptionalValue("larder.redis.read-mode", String.class).map(RedisSettings::readMode).orElse(ReadMode.MASTER));
    }

    public RedisSettings withCredentials(String username, String password) {
        return new RedisSettings(address, configFile, Optional.ofNullable(password), poolSize, minimumIdle, nettyThreads,
                timeout, allowedTypes, Optional.ofNullable(username), tlsCaFile, readMode);
    }

    public RedisSettings withTlsCaFile(Path pemFile) {
        return new RedisSettings(address, configFile, password, poolSize, minimumIdle, nettyThreads, timeout, allowedTypes,
                username, Optional.of(pemFile.toString()), readMode);
    }

    public Config toConfig(ClassLoader classLoader) {
        return toConfig(classLoader, new RedisConnectionEvents());
    }

    public Config toConfig(ClassLoader classLoader, RedisConnectionEvents events) {
        Config config = configFile.map(RedisSettings::readYaml).orElseGet(this::singleServer);
        config.setCodec(new JsonCodec(JsonMappers.storage(), allowedTypes, classLoader));
        new ServerSettings(this).applyTo(config);
        config.setLazyInitialization(true);
        config.setUseScriptCache(true); // EVALSHA: the limiter, leases and JCache all run Lua per call
        config.setUseThreadClassLoader(false); // the codec keeps the application's class loader, whoever calls
        config.setConnectionListener(events);
        return config;
    }

    /** Where the client connects and how, for the log: never a password. */
    public String describe() {
        return configFile.map(f -> "Redisson configuration " + f).orElse(withoutUserInfo(address))
                + ", timeout " + timeout.toMillis() + " ms, no retries, " + poolSize + " connections per node, reads from "
                + readMode + username.map(u -> ", ACL user " + u).orElse(password.isPresent() ? ", password" : "")
                + tlsCaFile.map(f -> ", certificate authorities from " + f).orElse("");
    }

    private Config singleServer() {
        if (!address.startsWith("redis://") && !address.startsWith("rediss://")) {
            throw new IllegalArgumentException("larder.redis.address must start with redis:// or rediss://, got "
                    + withoutUserInfo(address));
        }
        if (tlsCaFile.isPresent() && !address.startsWith("rediss://")) {
            throw new IllegalArgumentException("larder.redis.tls.ca-file is set but larder.redis.address is not rediss://"
                    + " (TLS): the connection would not be encrypted. Use rediss://" + withoutUserInfo(address).substring(8));
        }
        Config config = new Config();
        config.useSingleServer().setAddress(address);
        return config;
    }

    private static Config readYaml(String path) {
        try {
            return Config.fromYAML(new File(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Redisson configuration " + path, e);
        }
    }

    private static ReadMode readMode(String value) {
        try {
            return ReadMode.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("larder.redis.read-mode must be one of " + Arrays.toString(ReadMode.values())
                    + ", got " + value, e);
        }
    }

    static String withoutUserInfo(String address) {
        try {
            URI uri = URI.create(address);
            return uri.getRawUserInfo() == null ? address : address.replace(uri.getRawUserInfo() + "@", "");
        } catch (IllegalArgumentException notAUri) {
            return address;
        }
    }
}
