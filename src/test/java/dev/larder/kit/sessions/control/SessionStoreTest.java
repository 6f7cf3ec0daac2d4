package dev.larder.kit.sessions.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testing.RedisServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

class SessionStoreTest {

    public record Item(String name, int count) {
    }

    static RedisServer redis;
    static RedissonClient client;
    static SessionStore store;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        client = redis.client("dev.larder.", "java.lang.Long");
        store = new SessionStore(client);
    }

    @AfterAll
    static void stop() throws Exception {
        client.shutdown();
        redis.close();
    }

    @Test
    void idsAreLongRandomAndUrlSafe() {
        Set<String> ids = new HashSet<>();
        IntStream.range(0, 1000).forEach(i -> ids.add(SessionStore.newId()));
        assertThat(ids).hasSize(1000).allSatisfy(id -> assertThat(SessionStore.wellFormed(id)).isTrue());
        assertThat(SessionStore.wellFormed("../../etc/passwd")).isFalse();
    }

    @Test
    void storesAttributesAsReadableJsonAndReadsThemBack() {
        String id = SessionStore.newId();
        store.save(id, Map.of("item", new Item("tea", 2), SessionStore.CREATED, 42L), Set.of(), Duration.ofMinutes(5));

        assertThat(store.load(id)).containsEntry("item", new Item("tea", 2)).containsEntry(SessionStore.CREATED, 42L);
        assertThat(client.getMap(SessionStore.PREFIX + id, StringCodec.INSTANCE).get("item").toString())
                .contains("\"name\":\"tea\"");
        store.save(id, Map.of(), Set.of("item"), Duration.ofMinutes(5));
        assertThat(store.load(id)).doesNotContainKey("item");
    }

    @Test
    void rotatingKeepsTheAttributesAndKillsTheOldId() {
        String old = SessionStore.newId();
        store.save(old, Map.of("item", new Item("jam", 1), SessionStore.CREATED, 7L), Set.of(), Duration.ofMinutes(5));

        String fresh = store.rotate(old, store.load(old), Duration.ofMinutes(5));

        assertThat(fresh).isNotEqualTo(old);
        assertThat(store.load(old)).isEmpty();
        assertThat(store.load(fresh)).containsEntry("item", new Item("jam", 1));
    }

    @Test
    void anExpiredSessionIsGoneFromRedis() throws Exception {
        String id = SessionStore.newId();
        store.save(id, Map.of(SessionStore.CREATED, 1L), Set.of(), Duration.ofMillis(300));
        assertThat(client.getKeys().countExists(SessionStore.PREFIX + id)).isEqualTo(1);

        Thread.sleep(500);

        assertThat(client.getKeys().countExists(SessionStore.PREFIX + id)).isZero();
    }
}
