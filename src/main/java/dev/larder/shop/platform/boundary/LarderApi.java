package dev.larder.shop.platform.boundary;

import jakarta.ws.rs.ApplicationPath;
import java.util.Map;
import jakarta.ws.rs.core.Application;

/**
 * The REST API lives under {@code /api}; health, metrics and OpenAPI stay at the server's root. The
 * OpenAPI document is {@code META-INF/openapi.yaml} (see microprofile-config.properties for why).
 */
@ApplicationPath("api")
public class LarderApi extends Application {

    /**
     * Turns off the runtime's JSON-B binding so that every JSON body goes through
     * {@link dev.larder.kit.rest.boundary.JsonBodies}: with both present the choice between them is
     * not guaranteed, and JSON-B accepts fractions for integers and duplicate fields.
     */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.disableJsonb", true);
    }
}
