package dev.larder.kit.redis.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/**
 * Issue 7: an empty or unreadable codec allow-list fails the deployment with a clear message
 * ({@code RedisConnection} builds {@link RedisSettings} at deployment), instead of a client that
 * can store values but never read one back.
 */
class AllowListTest {

    static RedisSettings withAllowList(List<String> allowed) {
        return new RedisSettings("redis://127.0.0.1:6379", Optional.empty(), Optional.empty(), 8, 2, 4,
                Duration.ofSeconds(1), allowed);
    }

    /** MicroProfile Config holding only {@code values} (a missing key is absent, as when the WAR's defaults are not visible). */
    static Config config(Map<String, List<String>> values) {
        return (Config) Proxy.newProxyInstance(AllowListTest.class.getClassLoader(), new Class<?>[]{Config.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getOptionalValues" -> Optional.ofNullable(values.get((String) args[0]));
                    case "getOptionalValue" -> Optional.ofNullable(values.get((String) args[0])).map(v -> String.join(",", v));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void anEmptyOrBlankAllowListIsRefusedNamingItsSetting() {
        for (List<String> allowed : List.of(List.<String>of(), List.of(""), List.of(" ", "\t"))) {
            assertThatThrownBy(() -> withAllowList(allowed)).as("allow-list %s", allowed)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("larder.redis.codec.allowed-types")
                    .hasMessageContaining("empty");
        }
        assertThatThrownBy(() -> withAllowList(null)).hasMessageContaining("larder.redis.codec.allowed-types");
    }

    @Test
    void anAllowListTheConfigurationDoesNotShowIsRefusedNamingItsSetting() {
        assertThatThrownBy(() -> RedisSettings.from(config(Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("larder.redis.codec.allowed-types");
        assertThatThrownBy(() -> RedisSettings.from(config(Map.of("larder.redis.codec.allowed-types", List.of(" ")))))
                .hasMessageContaining("larder.redis.codec.allowed-types");
    }

    @Test
    void aListedPackageIsKeptWithoutItsBlanks() {
        RedisSettings settings = RedisSettings.from(config(Map.of("larder.redis.codec.allowed-types", List.of(" dev.larder. ", ""))));

        assertThat(settings.allowedTypes()).containsExactly("dev.larder.");
    }
}
