package dev.larder.kit.rest.boundary;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.larder.kit.json.JsonMappers;
import jakarta.annotation.Priority;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.stream.Collectors;

/**
 * JSON in and out of the REST API with Jackson, strictly: a body over
 * {@value #MAX_BODY_BYTES} bytes is 413, malformed JSON, unknown fields, wrong types, fractions
 * for integers and out-of-range numbers are 400 with a detail that names the field.
 */
@Provider
@Priority(Priorities.ENTITY_CODER - 1000)
@Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
@Produces({MediaType.APPLICATION_JSON, "application/*+json"})
public class JsonBodies implements MessageBodyReader<Object>, MessageBodyWriter<Object> {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final ObjectMapper mapper = JsonMappers.strict();

    @Override
    public boolean isReadable(Class<?> type, Type generic, Annotation[] annotations, MediaType media) {
        return !isPlain(type);
    }

    @Override
    public Object readFrom(Class<Object> type, Type generic, Annotation[] annotations, MediaType media,
                           MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        String length = headers.getFirst("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            throw new BadRequestException("The request needs a JSON body");
        }
        try {
            return mapper.readValue(bytes, mapper.constructType(generic));
        } catch (JacksonException e) {
            throw new BadRequestException(describe(e));
        }
    }

    @Override
    public boolean isWriteable(Class<?> type, Type generic, Annotation[] annotations, MediaType media) {
        return !isPlain(type);
    }

    @Override
    public void writeTo(Object value, Class<?> type, Type generic, Annotation[] annotations, MediaType media,
                        MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        mapper.writeValue(out, value);
    }

    /** Strings and raw streams pass through untouched. */
    private static boolean isPlain(Class<?> type) {
        return type == String.class || InputStream.class.isAssignableFrom(type) || type == byte[].class;
    }

    private static WebApplicationException tooLarge() {
        return new WebApplicationException("The body is larger than " + MAX_BODY_BYTES + " bytes",
                Response.Status.REQUEST_ENTITY_TOO_LARGE);
    }

    static String describe(JacksonException e) {
        String field = e instanceof MismatchedInputException mismatch ? path(mismatch) : "";
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + unknown.getPropertyName() + "'";
        }
        if (e instanceof InvalidFormatException && String.valueOf(e.getOriginalMessage()).contains("surrogate")) {
            return "Field '" + field + "' is not valid Unicode (it holds a lone UTF-16 surrogate)";
        }
        if (e instanceof InvalidFormatException invalid) {
            return "Field '" + field + "' cannot take the value " + invalid.getValue();
        }
        if (e instanceof MismatchedInputException) {
            return field.isEmpty() ? "The body does not have the expected shape"
                    : "Field '" + field + "' has the wrong type or is out of range";
        }
        String message = e.getOriginalMessage();
        return "Malformed JSON: " + (message == null ? "unreadable" : message.lines().findFirst().orElse(""));
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
