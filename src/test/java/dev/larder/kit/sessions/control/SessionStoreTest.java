package dev.larder.kit.sessions.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testing.Concurrently;
import dev.larder.testing.RedisServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
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

    static final Duration TIMEOUT = Duration.ofMinutes(5);

    static RedisServer redis;
    static RedissonClient client;
    static SessionStore store;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        client = redis.client("dev.larder.", "java.lang.Long", "java.lang.Integer");
        store = new SessionStore(client);
    }

    @AfterAll
    static void stop() throws Exception {
        client.shutdown();
        redis.close();
    }

    /** A session in Redis, as the request that created it leaves it. */
    static String stored(Map<String, Object> attributes) {
        String id = SessionStore.newId();
        Map<String, Object> entries = new java.util.HashMap<>(attributes);
        entries.put(SessionStore.CREATED, 7L);
        assertThat(store.save(id, true, entries, Set.of(), TIMEOUT)).isTrue();
        return id;
    }

    boolean exists(String id) {
        return client.getKeys().countExists(SessionStore.PREFIX + id) == 1;
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
        String id = stored(Map.of("item", new Item("tea", 2)));

        assertThat(store.load(id)).containsEntry("item", new Item("tea", 2)).containsEntry(SessionStore.CREATED, 7L);
        assertThat(client.getMap(SessionStore.PREFIX + id, StringCodec.INSTANCE).get("item").toString())
                .contains("\"name\":\"tea\"");
        assertThat(store.save(id, false, Map.of(), Set.of("item"), TIMEOUT)).isTrue();
        assertThat(store.load(id)).doesNotContainKey("item");
    }

    @Test
    void aSaveSlidesTheExpiryEvenWithoutChanges() {
        String id = stored(Map.of());
        store.save(id, false, Map.of(), Set.of(), Duration.ofSeconds(50));
        assertThat(client.getKeys().remainTimeToLive(SessionStore.PREFIX + id)).isBetween(1L, 50_000L);

        store.save(id, false, Map.of(), Set.of(), TIMEOUT);

        assertThat(client.getKeys().remainTimeToLive(SessionStore.PREFIX + id)).isGreaterThan(50_000L);
    }

    @Test
    void aSaveOnADeletedSessionWritesNothing() {
        String id = stored(Map.of("item", new Item("jam", 1)));
        store.delete(id); // invalidated by another request, or expired

        assertThat(store.save(id, false, Map.of("item", new Item("jam", 3)), Set.of(), TIMEOUT)).isFalse();
        assertThat(store.save(id, false, Map.of(), Set.of("item"), TIMEOUT)).isFalse();

        assertThat(exists(id)).isFalse();
    }

    @Test
    void aSaveOnARotatedAwayIdWritesNothingAndTheNewIdKeepsItsState() {
        String old = stored(Map.of("item", new Item("jam", 1)));
        String fresh = store.rotate(old, Map.of(), Set.of(), TIMEOUT);

        assertThat(store.save(old, false, Map.of("late", new Item("late", 9)), Set.of("item"), TIMEOUT)).isFalse();

        assertThat(exists(old)).isFalse();
        assertThat(store.load(fresh)).containsEntry("item", new Item("jam", 1)).doesNotContainKey("late");
    }

    @Test
    void aSessionNeverStoredMayBeCreatedByItsSave() {
        String id = SessionStore.newId();
        assertThat(store.save(id, false, Map.of(SessionStore.CREATED, 1L), Set.of(), TIMEOUT)).isFalse();
        assertThat(exists(id)).isFalse();

        assertThat(store.save(id, true, Map.of(SessionStore.CREATED, 1L), Set.of(), TIMEOUT)).isTrue();
        assertThat(exists(id)).isTrue();
    }

    @Test
    void concurrentSavesOfDifferentAttributesOfOneSessionAllSurvive() throws Exception {
        String id = stored(Map.of());

        List<Boolean> saved = Concurrently.run(50, i -> store.save(id, false, Map.of("line:" + i, i), Set.of(), TIMEOUT));

        assertThat(saved).containsOnly(true);
        Map<String, Object> entries = store.load(id);
        IntStream.range(0, 50).forEach(i -> assertThat(entries).containsEntry("line:" + i, i));
    }

    @Test
    void rotatingKeepsWhatConcurrentRequestsSavedAddsTheChangesAndKillsTheOldId() {
        String old = stored(Map.of("item", new Item("jam", 1), "gone", new Item("old", 1)));
        store.save(old, false, Map.of("other", new Item("saved meanwhile", 2)), Set.of(), TIMEOUT);

        String fresh = store.rotate(old, Map.of("mine", new Item("tea", 3)), Set.of("gone"), TIMEOUT);

        assertThat(fresh).isNotEqualTo(old);
        assertThat(exists(old)).isFalse();
        assertThat(store.load(fresh))
                .containsEntry("item", new Item("jam", 1))
                .containsEntry("other", new Item("saved meanwhile", 2))
                .containsEntry("mine", new Item("tea", 3))
                .containsEntry(SessionStore.CREATED, 7L)
                .doesNotContainKey("gone");
        assertThat(client.getKeys().remainTimeToLive(SessionStore.PREFIX + fresh)).isPositive();
    }

    @Test
    void rotatingASessionThatIsGoneWritesNothing() {
        String id = stored(Map.of("item", new Item("jam", 1)));
        store.delete(id);
        long keys = client.getKeys().count();

        assertThat(store.rotate(id, Map.of("item", new Item("jam", 2)), Set.of(), TIMEOUT)).isNull();

        assertThat(client.getKeys().count()).isEqualTo(keys);
    }

    @Test
    void savesAfterRedisRestartedAndForgotItsScripts() throws Exception {
        try (RedisServer own = RedisServer.start()) {
            RedissonClient restarted = own.client("dev.larder.", "java.lang.Long");
            try {
                SessionStore sessions = new SessionStore(restarted);
                String before = SessionStore.newId();
                assertThat(sessions.save(before, true, Map.of(SessionStore.CREATED, 1L), Set.of(), TIMEOUT)).isTrue();
                sessions.rotate(before, Map.of(), Set.of(), TIMEOUT);

                own.restart(); // empty, and without the scripts the client has cached

                String after = SessionStore.newId();
                assertThat(sessions.save(after, true, Map.of(SessionStore.CREATED, 2L), Set.of(), TIMEOUT)).isTrue();
                assertThat(sessions.save(after, false, Map.of("item", new Item("tea", 1)), Set.of(), TIMEOUT)).isTrue();
                String rotated = sessions.rotate(after, Map.of(), Set.of(), TIMEOUT);
                assertThat(sessions.load(rotated)).containsEntry("item", new Item("tea", 1));
            } finally {
                restarted.shutdown();
            }
        }
    }

    @Test
    void anExpiredSessionIsGoneFromRedis() throws Exception {
        String id = SessionStore.newId();
        store.save(id, true, Map.of(SessionStore.CREATED, 1L), Set.of(), Duration.ofMillis(300));
        assertThat(exists(id)).isTrue();

        Thread.sleep(500);

        assertThat(exists(id)).isFalse();
    }
}
