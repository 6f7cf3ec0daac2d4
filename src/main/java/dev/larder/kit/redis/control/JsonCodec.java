package dev.larder.kit.redis.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.List;
import org.redisson.client.codec.BaseCodec;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.Decoder;
import org.redisson.client.protocol.Encoder;

/**
 * Redisson codec that stores values as {@code {"@type": "<class>", "value": <json>}} and map keys as
 * plain UTF-8 strings, so that everything in Redis is readable and nothing read from Redis is ever
 * handed to Java or Kryo deserialization. Only allow-listed classes are rebuilt: an entry ending in
 * {@code .} allows a package and its subpackages, any other entry one class by its exact name.
 * Anything else fails with {@link DisallowedTypeException}.
 */
public class JsonCodec extends BaseCodec {

    static final String TYPE = "@type";
    static final String VALUE = "value";
    static final String LOAD = "@load";
    static final String EXPIRES = "@expires";

    private final ObjectMapper mapper;
    private final List<String> allowList;
    private final ClassLoader classLoader;

    private final Encoder encoder = this::encode;
    private final Decoder<Object> decoder = (buf, state) -> decode(buf);

    public JsonCodec(ObjectMapper mapper, List<String> allowList, ClassLoader classLoader) {
        this.mapper = mapper;
        this.allowList = List.copyOf(allowList);
        this.classLoader = classLoader;
    }

    /**
     * Redisson copies codecs per class loader through this constructor shape. The copy keeps the
     * application's class loader: the caller's context class loader (a health probe's thread, say)
     * may not see the application's classes.
     */
    public JsonCodec(ClassLoader ignored, JsonCodec template) {
        this(template.mapper, template.allowList, template.classLoader);
    }

    @Override
    public Decoder<Object> getValueDecoder() {
        return decoder;
    }

    @Override
    public Encoder getValueEncoder() {
        return encoder;
    }

    @Override
    public Decoder<Object> getMapKeyDecoder() {
        return StringCodec.INSTANCE.getValueDecoder();
    }

    @Override
    public Encoder getMapKeyEncoder() {
        return StringCodec.INSTANCE.getValueEncoder();
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    /**
     * The bytes {@code codec} stores for {@code value}, for scripts that write values themselves.
     * A value the codec refuses throws an unchecked exception with its {@code JsonProcessingException}
     * inside, which {@link RedisFailures} classifies as a codec error, not an outage.
     */
    public static byte[] bytes(org.redisson.client.codec.Codec codec, Object value) {
        ByteBuf buf;
        try {
            buf = codec.getValueEncoder().encode(value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            return io.netty.buffer.ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /**
     * The value {@code codec} reads from {@code bytes} a script returned. A value it refuses throws
     * an unchecked exception with its {@code JsonProcessingException} inside (a codec error).
     */
    public static Object value(org.redisson.client.codec.Codec codec, byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return codec.getValueDecoder().decode(buf, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            buf.release();
        }
    }

    ByteBuf encode(Object value) throws IOException {
        Object plain = value instanceof Stamped stamped ? stamped.value() : value;
        allowedClass(plain.getClass().getName()); // never store what could not be read back
        ObjectNode envelope = mapper.createObjectNode();
        envelope.put(TYPE, plain.getClass().getName());
        envelope.set(VALUE, mapper.valueToTree(plain));
        if (value instanceof Stamped stamped) {
            envelope.put(LOAD, stamped.loadMillis());
            envelope.put(EXPIRES, stamped.expiresAt());
        }
        return Unpooled.wrappedBuffer(mapper.writeValueAsBytes(envelope));
    }

    Object decode(ByteBuf buf) throws IOException {
        JsonNode envelope = mapper.readTree((java.io.InputStream) new ByteBufInputStream(buf));
        if (envelope == null || !envelope.path(TYPE).isTextual()) {
            throw new DisallowedTypeException("value in Redis carries no " + TYPE);
        }
        Object value = mapper.treeToValue(envelope.get(VALUE), allowedClass(envelope.get(TYPE).asText()));
        if (envelope.path(EXPIRES).canConvertToLong()) {
            return new Stamped(value, envelope.path(LOAD).asLong(1), envelope.get(EXPIRES).asLong());
        }
        return value;
    }

    Class<?> allowedClass(String name) throws JsonProcessingException {
        if (!allowed(name)) {
            throw new DisallowedTypeException("type not on the allow-list: " + name);
        }
        try {
            return Class.forName(name, false, classLoader);
        } catch (ClassNotFoundException e) {
            throw new DisallowedTypeException("unknown type: " + name);
        }
    }

    boolean allowed(String name) {
        return allowList.stream()
                .anyMatch(entry -> entry.endsWith(".") ? name.startsWith(entry) : name.equals(entry));
    }

    /** A value in Redis names a type that this application refuses to rebuild. */
    public static class DisallowedTypeException extends JsonProcessingException {
        DisallowedTypeException(String message) {
            super(message);
        }
    }
}
