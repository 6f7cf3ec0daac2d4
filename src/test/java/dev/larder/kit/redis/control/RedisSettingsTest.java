package dev.larder.kit.redis.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ConfigSupport;
import org.redisson.config.ReadMode;
import org.redisson.config.SentinelServersConfig;
import org.redisson.config.SubscriptionMode;

class RedisSettingsTest {

    static RedisSettings settings(String address, Optional<String> file, Optional<String> password) {
        return new RedisSettings(address, file, password, 8, 2, 4, Duration.ofMillis(750), List.of("dev.larder."));
    }

    @Test
    void aSingleAddressGivesASmallSingleServerPoolWithTheJsonCodec() throws Exception {
        Config config = settings("redis://127.0.0.1:7000", Optional.empty(), Optional.of("secret"))
                .toConfig(getClass().getClassLoader());

        assertThat(config.isSingleConfig()).isTrue();
        assertThat(config.getCodec()).isInstanceOf(JsonCodec.class);
        assertThat(config.isLazyInitialization()).isTrue();
        String yaml = config.toYAML();
        assertThat(yaml).contains("address: \"redis://127.0.0.1:7000\"", "connectionPoolSize: 8",
                "connectionMinimumIdleSize: 2", "timeout: 750", "password: \"secret\"", "nettyThreads: 4", "useScriptCache: true");
        assertThat(ConfigSupport.getConfig(config).getRetryAttempts()).isZero();
    }

    static final String SENTINEL = """
            sentinelServersConfig:
              masterName: "shop"
              sentinelAddresses:
                - "redis://127.0.0.1:26379"
                - "redis://127.0.0.1:26380"
              timeout: 5000
              connectTimeout: 9000
              retryAttempts: 3
              masterConnectionPoolSize: 100
              slaveConnectionMinimumIdleSize: 24
              readMode: "SLAVE"
              subscriptionMode: "SLAVE"
            threads: 32
            nettyThreads: 64
            password: "from-the-file"
            """;

    static final String CLUSTER = """
            clusterServersConfig:
              nodeAddresses:
                - "redis://127.0.0.1:7000"
                - "redis://127.0.0.1:7001"
              scanInterval: 2000
            """;

    Config fromFile(Path dir, String yaml, RedisSettings settings) throws Exception {
        Path file = dir.resolve("redisson.yaml");
        Files.writeString(file, yaml);
        return new RedisSettings(settings.address(), Optional.of(file.toString()), settings.password(), settings.poolSize(),
                settings.minimumIdle(), settings.nettyThreads(), settings.timeout(), settings.allowedTypes(), settings.username(),
                settings.tlsCaFile(), settings.readMode()).toConfig(getClass().getClassLoader());
    }

    @Test
    void theApplicationsTimeoutsRetriesPoolsAndThreadsReplaceASentinelFilesOwn(@TempDir Path dir) throws Exception {
        Config config = fromFile(dir, SENTINEL, settings("redis://unused:1", Optional.empty(), Optional.of("secret")));

        SentinelServersConfig sentinel = (SentinelServersConfig) ConfigSupport.getConfig(config);
        assertThat(sentinel.getMasterName()).as("the topology stays the file's").isEqualTo("shop");
        assertThat(sentinel.getSentinelAddresses()).hasSize(2);
        assertAppliedTo(sentinel);
        assertThat(config.getThreads()).isEqualTo(4);
        assertThat(config.getNettyThreads()).isEqualTo(4);
        assertThat(config.getPassword()).as("an explicit larder.redis.password wins").isEqualTo("secret");
        assertThat(config.getCodec()).isInstanceOf(JsonCodec.class);
        assertThat(config.isLazyInitialization()).isTrue();
        assertThat(config.isUseScriptCache()).isTrue();
        assertThat(config.getConnectionListener()).isInstanceOf(RedisConnectionEvents.class);
    }

    @Test
    void theApplicationsSettingsApplyToEveryNodeOfACluster(@TempDir Path dir) throws Exception {
        Config config = fromFile(dir, CLUSTER, settings("redis://unused:1", Optional.empty(), Optional.of("secret"))
                .withCredentials("larder", "s3cret"));

        ClusterServersConfig cluster = (ClusterServersConfig) ConfigSupport.getConfig(config);
        assertThat(cluster.getNodeAddresses()).containsExactly("redis://127.0.0.1:7000", "redis://127.0.0.1:7001");
        assertThat(cluster.getScanInterval()).isEqualTo(2000);
        assertAppliedTo(cluster);
        assertThat(config.getUsername()).isEqualTo("larder");
        assertThat(config.getPassword()).isEqualTo("s3cret");
    }

    static void assertAppliedTo(BaseMasterSlaveServersConfig<?> servers) {
        assertThat(servers.getTimeout()).isEqualTo(750);
        assertThat(servers.getConnectTimeout()).isEqualTo(750);
        assertThat(servers.getRetryAttempts()).as("no retries: the breaker decides").isZero();
        assertThat(servers.getMasterConnectionPoolSize()).isEqualTo(8);
        assertThat(servers.getSlaveConnectionPoolSize()).isEqualTo(8);
        assertThat(servers.getMasterConnectionMinimumIdleSize()).isEqualTo(2);
        assertThat(servers.getSlaveConnectionMinimumIdleSize()).isEqualTo(2);
        assertThat(servers.getSubscriptionConnectionPoolSize()).isEqualTo(2);
        assertThat(servers.getSubscriptionConnectionMinimumIdleSize()).isEqualTo(1);
        assertThat(servers.getReadMode()).isEqualTo(ReadMode.MASTER);
        assertThat(servers.getSubscriptionMode()).isEqualTo(SubscriptionMode.MASTER);
    }

    @Test
    void aFilesCredentialsStayWhenLarderSetsNone(@TempDir Path dir) throws Exception {
        Config config = fromFile(dir, SENTINEL, settings("redis://unused:1", Optional.empty(), Optional.empty()));

        assertThat(config.getPassword()).isEqualTo("from-the-file");
    }

    @Test
    void readsFromReplicasOnlyWhenAskedTo(@TempDir Path dir) throws Exception {
        RedisSettings base = settings("redis://unused:1", Optional.empty(), Optional.empty());
        Config config = fromFile(dir, CLUSTER, new RedisSettings(base.address(), Optional.empty(), base.password(),
                base.poolSize(), base.minimumIdle(), base.nettyThreads(), base.timeout(), base.allowedTypes(), Optional.empty(),
                Optional.empty(), ReadMode.MASTER_SLAVE));

        BaseMasterSlaveServersConfig<?> cluster = (BaseMasterSlaveServersConfig<?>) ConfigSupport.getConfig(config);
        assertThat(cluster.getReadMode()).isEqualTo(ReadMode.MASTER_SLAVE);
        assertThat(cluster.getSubscriptionMode()).as("invalidations are heard from the master").isEqualTo(SubscriptionMode.MASTER);
    }

    @Test
    void readModeComesFromItsKey() {
        assertThat(RedisSettings.from(config(java.util.Map.of("larder.redis.read-mode", "master_slave"))).readMode())
                .isEqualTo(ReadMode.MASTER_SLAVE);
        assertThat(RedisSettings.from(config(java.util.Map.of())).readMode()).isEqualTo(ReadMode.MASTER);
        assertThatThrownBy(() -> RedisSettings.from(config(java.util.Map.of("larder.redis.read-mode", "replica"))))
                .hasMessageContaining("larder.redis.read-mode").hasMessageContaining("MASTER_SLAVE");
    }

    @Test
    void anAclUserWithoutAPasswordIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> settings("redis://127.0.0.1:7000", Optional.empty(), Optional.empty())
                .withCredentials("larder", null).toConfig(getClass().getClassLoader()))
                .hasMessageContaining("larder.redis.password");
    }

    @Test
    void aCertificateAuthorityNeedsATlsAddress(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> settings("redis://127.0.0.1:7000", Optional.empty(), Optional.empty())
                .withTlsCaFile(dir.resolve("ca.pem")).toConfig(getClass().getClassLoader()))
                .hasMessageContaining("rediss://127.0.0.1:7000");
    }

    @Test
    void aFileThatTrustsAnyServerIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> fromFile(dir, CLUSTER + "sslVerificationMode: \"NONE\"\n",
                settings("redis://unused:1", Optional.empty(), Optional.empty())))
                .hasMessageContaining("larder.redis.tls.ca-file");
    }

    @Test
    void aPasswordInTheAddressNeverReachesTheLog() {
        RedisSettings settings = settings("redis://larder:s3cret@127.0.0.1:7000", Optional.empty(), Optional.empty());

        assertThat(settings.describe()).contains("redis://127.0.0.1:7000").doesNotContain("s3cret");
        assertThat(settings.withCredentials("larder", "s3cret").describe()).contains("ACL user larder").doesNotContain("s3cret");
    }

    static org.eclipse.microprofile.config.Config config(java.util.Map<String, String> values) {
        java.util.Map<String, String> all = new java.util.HashMap<>(values);
        all.put("larder.redis.codec.allowed-types", "dev.larder.");
        return (org.eclipse.microprofile.config.Config) java.lang.reflect.Proxy.newProxyInstance(
                RedisSettingsTest.class.getClassLoader(), new Class<?>[]{org.eclipse.microprofile.config.Config.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getOptionalValue" -> Optional.ofNullable(all.get((String) args[0]))
                            .map(v -> args[1] == Integer.class ? (Object) Integer.valueOf(v) : v);
                    case "getOptionalValues" -> Optional.ofNullable(all.get((String) args[0])).map(v -> List.of(v.split(",")));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aRedissonFileWinsOverTheAddressAndStillGetsTheJsonCodec(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sentinel.yaml");
        Files.writeString(file, """
                sentinelServersConfig:
                  masterName: "shop"
                  sentinelAddresses:
                    - "redis://127.0.0.1:26379"
                """);

        Config config = settings("redis://127.0.0.1:7000", Optional.of(file.toString()), Optional.empty())
                .toConfig(getClass().getClassLoader());

        assertThat(config.isSentinelConfig()).isTrue();
        assertThat(config.getCodec()).isInstanceOf(JsonCodec.class);
    }

    @Test
    void refusesAddressesThatAreNotRedisUrls() {
        assertThatThrownBy(() -> settings("127.0.0.1:6379", Optional.empty(), Optional.empty())
                .toConfig(getClass().getClassLoader()))
                .hasMessageContaining("redis://");
    }

    @Test
    void aMissingRedissonFileIsAClearError() {
        assertThatThrownBy(() -> settings("redis://x:1", Optional.of("/nonexistent/redisson.yaml"), Optional.empty())
                .toConfig(getClass().getClassLoader()))
                .hasMessageContaining("/nonexistent/redisson.yaml");
    }
}
