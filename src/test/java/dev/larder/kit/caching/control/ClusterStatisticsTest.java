package dev.larder.kit.caching.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** Cache counters summed across simulated instances through one real redis-server. */
class ClusterStatisticsTest {

    static RedisServer redis;
    final List<RedissonClient> clients = new ArrayList<>();
    final List<RedisBreaker> breakers = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void close() {
        breakers.forEach(RedisBreaker::close);
        clients.forEach(RedissonClient::shutdown);
    }

    @Test
    void sumsEveryLiveInstanceWithTheReadersOwnLiveCounters() {
        String cache = "c-" + UUID.randomUUID();
        ClusterStatistics a = instance(redis, Duration.ofSeconds(30));
        ClusterStatistics b = instance(redis, Duration.ofSeconds(30));
        ClusterStatistics c = instance(redis, Duration.ofSeconds(30));
        assertThat(a.publish(List.of(stats(cache, 1, 1, 0)))).isTrue();
        assertThat(b.publish(List.of(stats(cache, 7, 2, 10.0)))).isTrue();
        assertThat(c.publish(List.of(stats(cache, 3, 2, 20.0), stats("other-" + cache, 100, 0, 0)))).isTrue();

        ClusterStats sums = a.sums(List.of(stats(cache, 6, 0, 0))).orElseThrow().get(cache);

        assertThat(sums.instances()).isEqualTo(3);
        assertThat(sums.hits()).as("A's live 6, not the 1 it published, plus B's 7 and C's 3").isEqualTo(16);
        assertThat(sums.nearHits()).isEqualTo(16);
        assertThat(sums.loads()).isEqualTo(4);
        assertThat(sums.averageLoadMillis()).as("weighted by loads").isEqualTo(15.0);
        assertThat(a.sums(List.of()).orElseThrow().get("other-" + cache).hits()).isEqualTo(100);
    }

    @Test
    void anInstanceThatStopsPublishingDropsOutAfterItsExpiry() throws Exception {
        String cache = "c-" + UUID.randomUUID();
        ClusterStatistics a = instance(redis, Duration.ofSeconds(30));
        ClusterStatistics b = instance(redis, Duration.ofMillis(600));
        b.publish(List.of(stats(cache, 7, 0, 0)));
        assertThat(a.sums(List.of(stats(cache, 1, 0, 0))).orElseThrow().get(cache).hits()).isEqualTo(8);
        long ttl = pttl(ClusterStatistics.PREFIX + b.instance);
        assertThat(ttl).as("the instance's hash expires").isBetween(1L, 600L);
        assertThat(pttl(ClusterStatistics.INDEX)).as("the index expires too").isPositive();

        Thread.sleep(700); // B died: it publishes no more

        ClusterStats sums = a.sums(List.of(stats(cache, 1, 0, 0))).orElseThrow().get(cache);
        assertThat(sums.hits()).isEqualTo(1);
        assertThat(sums.instances()).isEqualTo(1);
        assertThat(pttl(ClusterStatistics.PREFIX + b.instance)).as("B's hash is gone").isEqualTo(-2);
        a.publish(List.of(stats(cache, 1, 0, 0)));
        assertThat(score(b.instance)).as("and the next publisher trims B from the index").isNull();
    }

    @Test
    void aCleanStopWithdrawsAtOnce() {
        String cache = "c-" + UUID.randomUUID();
        ClusterStatistics a = instance(redis, Duration.ofSeconds(30));
        ClusterStatistics b = instance(redis, Duration.ofSeconds(30));
        b.publish(List.of(stats(cache, 7, 0, 0)));

        assertThat(b.withdraw()).isTrue();

        assertThat(a.sums(List.of(stats(cache, 1, 0, 0))).orElseThrow().get(cache).hits()).isEqualTo(1);
    }

    @Test
    void withRedisDownTheSumsAreUnknownNotAnError() throws Exception {
        try (RedisServer own = RedisServer.start()) {
            ClusterStatistics a = instance(own, Duration.ofSeconds(30));
            assertThat(a.sums(List.of(stats("x", 1, 0, 0)))).isPresent();
            own.stop();

            assertThat(a.publish(List.of(stats("x", 1, 0, 0)))).isFalse();
            assertThat(a.sums(List.of(stats("x", 1, 0, 0)))).isEqualTo(Optional.empty());
        }
    }

    private ClusterStatistics instance(RedisServer server, Duration expiry) {
        RedissonClient client = server.client("java.lang.String");
        clients.add(client);
        RedisBreaker breaker = new RedisBreaker(() -> client.getKeys().count() >= 0, Duration.ofMillis(100));
        breakers.add(breaker);
        ClusterStatistics statistics = new ClusterStatistics();
        statistics.redisson = client;
        statistics.breaker = breaker;
        statistics.expiry = expiry;
        return statistics;
    }

    private static CacheStats stats(String cache, long hits, long loads, double averageLoadMillis) {
        return new CacheStats(cache, hits, 0, loads, 0, averageLoadMillis, 0, 0, 0, hits, 0, 0, 0, 0, 0);
    }

    private long pttl(String key) {
        return clients.get(0).getScript(StringCodec.INSTANCE).eval(org.redisson.api.RScript.Mode.READ_ONLY,
                "return redis.call('PTTL', KEYS[1])", org.redisson.api.RScript.ReturnType.LONG, List.of(key));
    }

    private Double score(String instance) {
        return clients.get(0).getScoredSortedSet(ClusterStatistics.INDEX, StringCodec.INSTANCE).getScore(instance);
    }

}
