package dev.larder.kit.ratelimiting.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PoliciesTest {

    static final Map<String, String> CONFIG = Map.of(
            "larder.ratelimit.policies", "writes, search",
            "larder.ratelimit.policies.writes.pattern", "/api/.*",
            "larder.ratelimit.policies.writes.methods", "post,PUT",
            "larder.ratelimit.policies.writes.limit", "10",
            "larder.ratelimit.policies.search.pattern", "/api/products",
            "larder.ratelimit.policies.search.limit", "5",
            "larder.ratelimit.policies.search.window", "PT10S",
            "larder.ratelimit.default.limit", "100");

    Policies policies = Policies.of(key -> Optional.ofNullable(CONFIG.get(key)));

    @Test
    void routePoliciesMatchByPathAndMethodInOrderElseTheDefault() {
        assertThat(policies.forRequest("POST", "/api/products")).map(Policy::name).hasValue("writes");
        assertThat(policies.forRequest("GET", "/api/products")).map(Policy::name).hasValue("search");
        assertThat(policies.forRequest("GET", "/api/products/1")).map(Policy::name).hasValue("default");
        assertThat(policies.forRequest("GET", "/api/products").orElseThrow().window()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void healthMetricsAndOpenApiAreNeverLimited() {
        assertThat(policies.forRequest("GET", "/health/ready")).isEmpty();
        assertThat(policies.forRequest("GET", "/metrics")).isEmpty();
        assertThat(policies.forRequest("GET", "/openapi")).isEmpty();
    }

    @Test
    void writesTheIetfPolicyField() {
        assertThat(policies.forRequest("PUT", "/api/cart").orElseThrow().header()).isEqualTo("\"writes\";q=10;w=60");
    }
}
