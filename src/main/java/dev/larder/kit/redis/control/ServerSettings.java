package dev.larder.kit.redis.control;

import static java.util.Map.entry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;
import org.redisson.config.BaseConfig;
import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ConfigSupport;
import org.redisson.config.MasterSlaveServersConfig;
import org.redisson.config.ReadMode;
import org.redisson.config.SingleServerConfig;
import org.redisson.config.SslVerificationMode;
import org.redisson.config.SubscriptionMode;

/**
 * Puts the application's settings into a Redisson configuration, whichever server configuration it
 * holds (single, Sentinel, Cluster, replicated, master-slave). Timeouts, retries, pools, threads and
 * where reads go always come from {@code larder.redis.*}: the breaker's bound on every call depends
 * on them, and their keys have defaults, so a value a YAML file sets for them is replaced (and said
 * so in the log). Credentials and the certificate authorities come from their keys when those are
 * set, else from the file. Redisson reads credentials and TLS settings from the top level of its
 * configuration before any server configuration's own, so that is where they go.
 */
final class ServerSettings {

    private static final Logger LOG = Logger.getLogger(ServerSettings.class.getName());

    private final RedisSettings settings;
    private final List<String> replaced = new ArrayList<>();

    ServerSettings(RedisSettings settings) {
        this.settings = settings;
    }

    void applyTo(Config config) {
        config.setThreads(replace("threads", config.getThreads(), settings.nettyThreads()));
        config.setNettyThreads(replace("nettyThreads", config.getNettyThreads(), settings.nettyThreads()));
        settings.username().ifPresent(config::setUsername);
        settings.password().ifPresent(config::setPassword);
        settings.tlsCaFile().ifPresent(file -> config.setSslTrustManagerFactory(TrustedCertificates.read(Path.of(file))));
        if (config.getSslVerificationMode() == SslVerificationMode.NONE) {
            throw new IllegalArgumentException("sslVerificationMode NONE in " + settings.configFile().orElse("the configuration")
                    + " would trust any server: give Larder the certificate authority instead (larder.redis.tls.ca-file),"
                    + " and use CA_ONLY if the certificates do not name the nodes' addresses");
        }
        BaseConfig<?> servers = ConfigSupport.getConfig(config);
        requirePasswordForUser(config, servers);
        int millis = (int) settings.timeout().toMillis();
        servers.setTimeout(replace("timeout", servers.getTimeout(), millis));
        servers.setConnectTimeout(replace("connectTimeout", servers.getConnectTimeout(), millis));
        servers.setRetryAttempts(replace("retryAttempts", servers.getRetryAttempts(), 0));
        servers.setSubscriptionsPerConnection(replace("subscriptionsPerConnection", servers.getSubscriptionsPerConnection(),
                RedisSettings.SUBSCRIPTIONS_PER_CONNECTION));
        if (servers instanceof SingleServerConfig single) {
            pools(single);
        } else if (servers instanceof BaseMasterSlaveServersConfig<?> replicated) {
            pools(replicated);
        }
        if (!replaced.isEmpty() && settings.configFile().isPresent()) {
            LOG.info(() -> "Redisson configuration " + settings.configFile().get() + ": " + String.join(", ", replaced)
                    + " replaced by Larder's larder.redis.* settings");
        }
    }

    private void pools(SingleServerConfig single) {
        single.setConnectionPoolSize(replace("connectionPoolSize", single.getConnectionPoolSize(), settings.poolSize()));
        single.setConnectionMinimumIdleSize(replace("connectionMinimumIdleSize", single.getConnectionMinimumIdleSize(), minimumIdle()));
        single.setSubscriptionConnectionPoolSize(replace("subscriptionConnectionPoolSize",
                single.getSubscriptionConnectionPoolSize(), subscriptionPoolSize()));
        single.setSubscriptionConnectionMinimumIdleSize(replace("subscriptionConnectionMinimumIdleSize",
                single.getSubscriptionConnectionMinimumIdleSize(), 1));
    }

    /** Per node: each master and each replica gets pools of these sizes. */
    private void pools(BaseMasterSlaveServersConfig<?> replicated) {
        replicated.setMasterConnectionPoolSize(replace("masterConnectionPoolSize",
                replicated.getMasterConnectionPoolSize(), settings.poolSize()));
        replicated.setMasterConnectionMinimumIdleSize(replace("masterConnectionMinimumIdleSize",
                replicated.getMasterConnectionMinimumIdleSize(), minimumIdle()));
        replicated.setSlaveConnectionPoolSize(replace("slaveConnectionPoolSize",
                replicated.getSlaveConnectionPoolSize(), settings.poolSize()));
        replicated.setSlaveConnectionMinimumIdleSize(replace("slaveConnectionMinimumIdleSize",
                replicated.getSlaveConnectionMinimumIdleSize(), minimumIdle()));
        replicated.setSubscriptionConnectionPoolSize(replace("subscriptionConnectionPoolSize",
                replicated.getSubscriptionConnectionPoolSize(), subscriptionPoolSize()));
        replicated.setSubscriptionConnectionMinimumIdleSize(replace("subscriptionConnectionMinimumIdleSize",
                replicated.getSubscriptionConnectionMinimumIdleSize(), 1));
        replicated.setReadMode(replace("readMode", replicated.getReadMode(), settings.readMode()));
        replicated.setSubscriptionMode(replace("subscriptionMode", replicated.getSubscriptionMode(), SubscriptionMode.MASTER));
    }

    private int minimumIdle() {
        return Math.min(settings.minimumIdle(), settings.poolSize());
    }

    private int subscriptionPoolSize() {
        return Math.max(2, settings.poolSize() / 4);
    }

    /** Ours, noting the file's value if it set one of its own (one that is neither ours nor Redisson's default). */
    private <T> T replace(String name, T file, T ours) {
        if (!Objects.equals(file, ours) && !Objects.equals(file, REDISSON_DEFAULTS.get(name))) {
            replaced.add(name + " " + file + " (now " + ours + ")");
        }
        return ours;
    }

    private static final Map<String, Object> REDISSON_DEFAULTS = defaults();

    private static Map<String, Object> defaults() {
        MasterSlaveServersConfig replicated = new MasterSlaveServersConfig();
        SingleServerConfig single = new Config().useSingleServer();
        return Map.ofEntries(
                entry("threads", new Config().getThreads()),
                entry("nettyThreads", new Config().getNettyThreads()),
                entry("timeout", replicated.getTimeout()),
                entry("connectTimeout", replicated.getConnectTimeout()),
                entry("retryAttempts", replicated.getRetryAttempts()),
                entry("subscriptionsPerConnection", replicated.getSubscriptionsPerConnection()),
                entry("connectionPoolSize", single.getConnectionPoolSize()),
                entry("connectionMinimumIdleSize", single.getConnectionMinimumIdleSize()),
                entry("masterConnectionPoolSize", replicated.getMasterConnectionPoolSize()),
                entry("masterConnectionMinimumIdleSize", replicated.getMasterConnectionMinimumIdleSize()),
                entry("slaveConnectionPoolSize", replicated.getSlaveConnectionPoolSize()),
                entry("slaveConnectionMinimumIdleSize", replicated.getSlaveConnectionMinimumIdleSize()),
                entry("subscriptionConnectionPoolSize", replicated.getSubscriptionConnectionPoolSize()),
                entry("subscriptionConnectionMinimumIdleSize", replicated.getSubscriptionConnectionMinimumIdleSize()),
                entry("readMode", ReadMode.SLAVE),
                entry("subscriptionMode", SubscriptionMode.MASTER));
    }

    @SuppressWarnings("deprecation") // a file may still carry credentials on its server configuration
    private void requirePasswordForUser(Config config, BaseConfig<?> servers) {
        if (config.getUsername() == null && servers.getUsername() == null) {
            return;
        }
        if (config.getPassword() == null && servers.getPassword() == null) {
            throw new IllegalArgumentException("an ACL user is set (larder.redis.username or username in the Redisson"
                    + " configuration) without a password: Redis would be asked nothing and the connection would act as"
                    + " the default user. Set larder.redis.password too");
        }
    }
}
