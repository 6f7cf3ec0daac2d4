package dev.larder.shop.platform.boundary;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The server's ceiling for benchmarks ({@code bench/hits.sh}): a plain servlet at {@value #PATH}
 * that writes a fixed 360-byte product JSON with an {@code ETag}, no JAX-RS, no CDI, no JSON
 * serialisation. It exists only when {@code larder.bench.ceiling-servlet=true} (default false): the
 * {@link Registration} listener adds it to the context at start, so a production WAR serves nothing
 * there (404). At {@value #PATH} it is outside {@code /api}: the session filter and the response tier
 * never see it, and the rate limiter (mapped to every path) lets it through at once (no policy covers
 * it). The same servlet also answers at {@value #BEHIND_FILTERS}, where every filter of Larder's runs
 * as for any API request (a rate-limit decision, the response tier's pass, the session wrappers): the
 * two paths in one JVM give what Larder's filters cost a no-op request ({@code bench/filter-cost.sh}).
 */
public class CeilingServlet extends HttpServlet {

    static final String PATH = "/bench/ceiling";
    static final String BEHIND_FILTERS = "/api/bench/ceiling";
    static final String FLAG = "larder.bench.ceiling-servlet";
    static final byte[] PRODUCT = ("{\"id\":42,\"sku\":\"demo-000042\",\"name\":\"Demo product 42, a jar of plum jam\","
            + "\"description\":\"A fixed answer of the size of a product, for the servlet ceiling of the benchmarks;"
            + " nothing here is read from Redis or the database.\",\"priceCents\":1234,\"stock\":100,"
            + "\"category\":\"pantry\",\"viewCount\":0,\"updatedAt\":\"2026-11-30T08:00:00.000000Z\",\"pad\":\"01234567890123456789012\"}")
            .getBytes(StandardCharsets.UTF_8);
    private static final String ETAG = "\"ceiling-42\"";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setHeader("ETag", ETAG);
        response.setContentLength(PRODUCT.length);
        response.getOutputStream().write(PRODUCT);
    }

    /** Adds the servlet when the flag is on; a listener declared with {@code @WebListener} may add servlets. */
    @WebListener
    public static class Registration implements ServletContextListener {

        @Override
        public void contextInitialized(ServletContextEvent event) {
            boolean on = ConfigProvider.getConfig(CeilingServlet.class.getClassLoader())
                    .getOptionalValue(FLAG, Boolean.class).orElse(false);
            if (on) {
                event.getServletContext().addServlet("bench-ceiling", CeilingServlet.class).addMapping(PATH, BEHIND_FILTERS);
            }
        }
    }
}
