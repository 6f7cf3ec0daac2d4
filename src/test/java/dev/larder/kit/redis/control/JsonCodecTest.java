package dev.larder.kit.redis.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.kit.json.JsonMappers;
import dev.larder.testing.RedisServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

class JsonCodecTest {

    public record Item(long id, String name, Instant at) {
    }

    static final List<String> ALLOWED = List.of("dev.larder.", "java.lang.String");
    static final JsonCodec CODEC = new JsonCodec(JsonMappers.storage(), ALLOWED, JsonCodecTest.class.getClassLoader());

    static RedisServer redis;
    static RedissonClient client;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
        client = redis.client(ALLOWED.toArray(String[]::new));
    }

    @AfterAll
    static void stopRedis() throws Exception {
        client.shutdown();
        redis.close();
    }

    @Test
    void storesReadableTypedJsonAndReadsItBack() {
        Item item = new Item(7, "tea", Instant.parse("2026-01-02T03:04:05.678Z"));
        client.getBucket("codec:item").set(item);

        assertThat(client.<Item>getBucket("codec:item").get()).isEqualTo(item);
        assertThat(client.<String>getBucket("codec:item", StringCodec.INSTANCE).get()).isEqualTo(
                "{\"@type\":\"" + Item.class.getName() + "\",\"value\":{\"id\":7,\"name\":\"tea\",\"at\":\"2026-01-02T03:04:05.678Z\"}}");
    }

    @Test
    void refusesToRebuildATypeOffTheAllowList() {
        client.getBucket("codec:forged", StringCodec.INSTANCE)
                .set("{\"@type\":\"java.net.URL\",\"value\":\"http://example.invalid/\"}");

        assertThatThrownBy(() -> client.getBucket("codec:forged").get())
                .hasStackTraceContaining("type not on the allow-list: java.net.URL");
    }

    @Test
    void refusesValuesWithoutType() throws Exception {
        assertThatThrownBy(() -> CODEC.decode(utf8("{\"value\":1}"))).hasMessageContaining("@type");
        assertThatThrownBy(() -> CODEC.decode(utf8("\"plain\""))).hasMessageContaining("@type");
    }

    @Test
    void refusesToStoreWhatItCouldNotReadBack() {
        assertThatThrownBy(() -> CODEC.encode(new StringBuilder("x")))
                .hasMessageContaining("java.lang.StringBuilder");
    }

    @Test
    void allowsPackagesByPrefixAndClassesByExactName() {
        assertThat(CODEC.allowed("dev.larder.shop.X")).isTrue();
        assertThat(CODEC.allowed("java.lang.String")).isTrue();
        assertThat(CODEC.allowed("java.lang.StringBuilder")).isFalse();
        assertThat(CODEC.allowed("dev.larderx.Evil")).isFalse();
    }

    private static ByteBuf utf8(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
    }
}
