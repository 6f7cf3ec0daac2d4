package dev.larder.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * A servlet response for filter unit tests: records the status, content type, headers and body a
 * filter sets and writes; {@code reset()} clears them; it never commits (everything stays
 * buffered). Any other method does nothing and answers null.
 */
public final class RecordedResponse {

    public final ByteArrayOutputStream body = new ByteArrayOutputStream();
    public final Map<String, String> headers = new HashMap<>();
    public int status = 200;
    public String contentType;
    public final HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
            RecordedResponse.class.getClassLoader(), new Class<?>[]{HttpServletResponse.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "setStatus" -> {
                    status = (int) args[0];
                    yield null;
                }
                case "setContentType" -> {
                    contentType = (String) args[0];
                    yield null;
                }
                case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                case "reset" -> {
                    body.reset();
                    headers.clear();
                    status = 200;
                    contentType = null;
                    yield null;
                }
                case "isCommitted" -> false;
                case "getOutputStream" -> new ServletOutputStream() {
                    @Override
                    public void write(int b) {
                        body.write(b);
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        throw new UnsupportedOperationException();
                    }
                };
                default -> null;
            });

    /** The body, read as JSON (a problem+json answer, say). */
    public JsonNode json() throws IOException {
        return new ObjectMapper().readTree(body.toByteArray());
    }
}
