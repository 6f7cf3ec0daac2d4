package dev.larder.shop.platform.boundary;

import jakarta.ws.rs.ApplicationPath;
import java.util.Map;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/** The REST API lives under {@code /api}; health, metrics and OpenAPI stay at the server's root. */
@ApplicationPath("api")
@OpenAPIDefinition(info = @Info(title = "Larder shop API", version = "0.1",
        description = "A REST shop whose catalog is cached in Redis through JSR-107 annotations."))
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
