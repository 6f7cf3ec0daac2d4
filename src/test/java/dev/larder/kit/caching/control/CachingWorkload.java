package dev.larder.kit.caching.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Every kind of Redis call of {@code kit.caching}, once each and checked, on two simulated instances:
 * JCache reads, a lease and the store-if-leased script, a write and an invalidation with their
 * messages, invalidate-all of a plain cache and of a versioned one (the version bump), the
 * invalidation bus with its probes, the cluster-wide statistics. For tests that prove a Redis
 * deployment (an ACL user, a password) lets the kit work: nothing may be refused.
 */
public final class CachingWorkload {

    private CachingWorkload() {
    }

    /** {@code address} may carry credentials: {@code redis://user:password@host:port}. */
    public static void run(String address) throws Exception {
        try (Node a = new Node(address); Node b = new Node(address)) { // each has heard its own probe
            String name = "workload-" + UUID.randomUUID();
            CacheSettings near = Node.settings(Duration.ofMinutes(5), 0, Duration.ofSeconds(5), Duration.ofSeconds(2), true);
            NamedCache onA = a.cache(name, near);
            NamedCache onB = b.cache(name, near);

            assertThat(a.get(onA, "k", () -> "loaded")).isEqualTo("loaded");
            assertThat(b.get(onB, "k", () -> "loaded twice")).as("B reads what A stored").isEqualTo("loaded");
            assertThat(onA.write(onA.field("k"), onA.stamp("written", 0))).isTrue();
            assertThat(Eventually.within(Duration.ofSeconds(2), Duration.ofMillis(20), () -> b.get(onB, "k", () -> "stale"),
                    "written"::equals)).isEqualTo("written");
            assertThat(onA.removeKey("k")).isTrue();
            assertThat(Eventually.within(Duration.ofSeconds(2), Duration.ofMillis(20), () -> b.get(onB, "k", () -> "reloaded"),
                    "reloaded"::equals)).isEqualTo("reloaded");
            assertThat(onB.stats().invalidationsReceived()).isPositive();
            assertThat(onA.invalidateAll()).isTrue();

            CacheSettings versioned = new CacheSettings(Duration.ofMinutes(5), 0, true, 0, Duration.ofSeconds(5),
                    Duration.ofSeconds(2), false, 1000, Duration.ofMinutes(5));
            NamedCache pages = a.cache(name + "-pages", versioned);
            assertThat(a.get(pages, "p", () -> "old")).isEqualTo("old");
            assertThat(pages.invalidateAll()).isTrue();
            assertThat(a.get(pages, "p", () -> "new")).as("the bump made a new namespace").isEqualTo("new");

            ClusterStatistics onAStats = statistics(a);
            ClusterStatistics onBStats = statistics(b);
            assertThat(onAStats.publish(List.of(onA.stats()))).isTrue();
            assertThat(onBStats.sums(List.of(onB.stats())).orElseThrow().get(name).instances()).isEqualTo(2);
            assertThat(onAStats.withdraw()).isTrue();

            for (Node node : List.of(a, b)) {
                assertThat(node.bus.live()).isTrue();
                assertThat(node.breaker.commandErrors()).as("commands Redis refused").isZero();
                assertThat(node.breaker.timesOpened()).isZero();
            }
        }
    }

    private static ClusterStatistics statistics(Node node) {
        ClusterStatistics statistics = new ClusterStatistics();
        statistics.redisson = node.redisson;
        statistics.breaker = node.breaker;
        statistics.expiry = Duration.ofSeconds(30);
        return statistics;
    }
}
