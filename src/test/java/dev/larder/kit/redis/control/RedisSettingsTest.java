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
import org.redisson.config.Config;

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
