package dev.larder.kit.caching.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testing.Concurrently;
import dev.larder.testing.Eventually;
import dev.larder.testing.RedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RShardedTopic;
import org.redisson.client.codec.StringCodec;

/**
 * The cache core on a real Redis Cluster (3 masters + 3 replicas started by the test): a cache's
 * entries spread over every master, every script is single-slot, the invalidation bus runs on sharded
 * channels owned by the masters, and its heartbeats do not grow with the square of the instances.
 */
class ClusterCacheTest {

    static RedisCluster cluster;
    static Node a;
    static Node b;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisCluster.start();
        a = new Node(cluster.redissonYaml());
        b = new Node(cluster.redissonYaml());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static NamedCache cache(Node node, String name) {
        return node.cache(name, Node.settings(Duration.ofMinutes(5), 0, Duration.ofSeconds(5), Duration.ofSeconds(2), true));
    }

    @Test
    void tenThousandEntriesSpreadOverEveryMasterWithinTwentyPercent() throws Exception {
        NamedCache products = cache(a, "spread-" + UUID.randomUUID());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> writes = new ArrayList<>();
            for (int id = 1; id <= 10_000; id++) {
                String field = String.valueOf(id);
                writes.add(pool.submit(() -> products.write(field, products.stamp("product " + field, 0))));
            }
            for (Future<Boolean> write : writes) {
                assertThat(write.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }

        Map<Integer, Long> entriesPerMaster = new HashMap<>();
        for (int master : cluster.masters()) {
            long entries = 0;
            for (String hash : cluster.cli(master, "--scan", "--pattern", Slots.CACHE_PREFIX + products.name() + ":*").lines().toList()) {
                entries += Long.parseLong(cluster.cli(master, "hlen", hash).strip());
            }
            entriesPerMaster.put(master, entries);
        }
        assertThat(entriesPerMaster).hasSize(3);
        assertThat(entriesPerMaster.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10_000);
        long most = entriesPerMaster.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        long least = entriesPerMaster.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        assertThat((double) most / least).as("entries per master %s", entriesPerMaster).isLessThanOrEqualTo(1.2);
    }

    @Test
    void concurrentMissesOnTwoInstancesLoadOnceAndAWriteReachesTheOtherNearCache() throws Exception {
        String name = "coherent-" + UUID.randomUUID();
        NamedCache onA = cache(a, name);
        NamedCache onB = cache(b, name);
        AtomicInteger loads = new AtomicInteger();

        for (int key = 0; key < 12; key++) { // keys in several groups, so on several masters
            String k = "k" + key;
            List<Object> values = Concurrently.run(40, i -> (i % 2 == 0 ? a : b).get(i % 2 == 0 ? onA : onB, k, () -> {
                loads.incrementAndGet();
                Thread.sleep(100);
                return "loaded " + k;
            }));
            assertThat(values).containsOnly("loaded " + k);
        }
        assertThat(loads).as("one load per key across both instances").hasValue(12);

        for (int key = 0; key < 12; key++) {
            String k = "k" + key;
            assertThat(b.get(onB, k, () -> "not loaded")).isEqualTo("loaded " + k); // now near on B
            assertThat(onA.write(onA.field(k), onA.stamp("written " + k, 0))).isTrue();
            Object seen = Eventually.within(Duration.ofMillis(500), Duration.ofMillis(10), () -> b.get(onB, k, () -> "not loaded"),
                    ("written " + k)::equals);
            assertThat(seen).isEqualTo("written " + k);
        }
        assertThat(onB.stats().nearHits()).isPositive();

        assertThat(onA.invalidateAll()).isTrue();
        Thread.sleep(NearCacheTest.PROPAGATION.toMillis());
        for (int key = 0; key < 12; key++) {
            String k = "k" + key;
            assertThat(b.get(onB, k, () -> "reloaded " + k)).isEqualTo("reloaded " + k);
        }
    }

    @Test
    void theBusRunsOnShardedChannelsOwnedByTheMastersNotOnClassicPubSub() throws Exception {
        Set<String> channels = new TreeSet<>();
        for (int master : cluster.masters()) {
            List<String> own = cluster.cli(master, "pubsub", "shardchannels", Slots.CHANNEL_PREFIX + "*").lines().toList();
            assertThat(own).as("every master carries some of the channels").isNotEmpty();
            channels.addAll(own);
            assertThat(cluster.cli(master, "pubsub", "channels", "larder:*").strip()).as("nothing on classic pub/sub").isEmpty();
        }
        Set<String> expected = new TreeSet<>();
        for (int g = 0; g < a.slots.groups(); g++) {
            expected.add(a.slots.channel(g));
        }
        assertThat(channels).isEqualTo(expected);
    }

    @Test
    void aChannelCarriesAboutFiveHeartbeatsASecondHoweverManyInstancesListen() throws Exception {
        try (Node c = new Node(cluster.redissonYaml())) {
            AtomicInteger beats = new AtomicInteger();
            RShardedTopic channel = a.redisson.getShardedTopic(a.slots.channel(0), StringCodec.INSTANCE);
            int listener = channel.addListener(String.class, (name, message) -> {
                if (message.contains("\"beat\"")) {
                    beats.incrementAndGet();
                }
            });
            Thread.sleep(3_000);
            channel.removeListener(listener);
            // three instances offering one every 200 ms would publish 45; a beat needs 150 ms of silence
            assertThat(beats.get()).isBetween(8, 21);
            assertThat(c.bus.live()).isTrue();
        }
    }

    @Test
    void slotsPutEveryKeyOfAnEntryAndItsChannelInTheGroupsHomeSlot() {
        Slots slots = a.slots;
        for (int g = 0; g < slots.groups(); g++) {
            String hash = slots.hashName("products", g);
            assertThat(Slots.slot(hash)).isEqualTo(slots.homeSlot(g));
            assertThat(Slots.slot("jcache_timeout_set:{" + hash + "}")).isEqualTo(slots.homeSlot(g));
            assertThat(Slots.slot(CacheStore.LEASE_PREFIX + "{" + hash + "}:42")).isEqualTo(slots.homeSlot(g));
            assertThat(Slots.slot(slots.channel(g))).isEqualTo(slots.homeSlot(g));
        }
    }
}
