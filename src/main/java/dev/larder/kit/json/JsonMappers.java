package dev.larder.kit.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The two Jackson configurations of Larder: strict for what clients send, tolerant for what Redis holds. */
public final class JsonMappers {

    private static final ObjectMapper STRICT = base()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(wellFormedStrings())
            .build();

    private static final ObjectMapper STORAGE = base()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private JsonMappers() {
    }

    /** For request bodies: unknown fields, fractions into integers, strings into numbers, nulls into primitives and duplicate fields are refused. */
    public static ObjectMapper strict() {
        return STRICT;
    }

    /** For values in Redis: tolerates fields added by a newer version of the application. */
    public static ObjectMapper storage() {
        return STORAGE;
    }

    private static JsonMapper.Builder base() {
        // Modules are registered explicitly: findAndRegisterModules() trips over Payara's JAXB module.
        return JsonMapper.builder()
                .addModule(instants())
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * Strings that are valid Unicode: JSON's {@code \\uD800} escapes can spell a lone surrogate,
     * which is no character at all, cannot be encoded as UTF-8 and would be stored as {@code ?} or
     * break a later reader. Such a string is a bad request.
     */
    private static SimpleModule wellFormedStrings() {
        return new SimpleModule("larder-well-formed-strings").addDeserializer(String.class, new JsonDeserializer<>() {
            @Override
            public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                if (!p.hasToken(com.fasterxml.jackson.core.JsonToken.VALUE_STRING)) {
                    return (String) ctx.handleUnexpectedToken(String.class, p);
                }
                String text = p.getText();
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        i++;
                    } else if (Character.isSurrogate(c)) {
                        return (String) ctx.handleWeirdStringValue(String.class, text, "a lone UTF-16 surrogate is not a character");
                    }
                }
                return text;
            }
        });
    }

    /** ISO-8601 instants, without pulling in the JSR-310 module for one type. */
    private static SimpleModule instants() {
        return new SimpleModule("larder-instants")
                .addSerializer(Instant.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(Instant value, JsonGenerator gen, SerializerProvider sp) throws IOException {
                        gen.writeString(value.toString());
                    }
                })
                .addDeserializer(Instant.class, new JsonDeserializer<>() {
                    @Override
                    public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                        try {
                            return Instant.parse(p.getValueAsString(""));
                        } catch (DateTimeParseException e) {
                            return (Instant) ctx.handleWeirdStringValue(Instant.class, p.getText(), "not an ISO-8601 instant");
                        }
                    }
                });
    }
}
