package dev.larder.shop.platform.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/** The REST API lives under {@code /api}; health, metrics and OpenAPI stay at the server's root. */
@ApplicationPath("api")
@OpenAPIDefinition(info = @Info(title = "Larder shop API", version = "0.1",
        description = "A REST shop whose catalog is cached in Redis through JSR-107 annotations."))
public class LarderApi extends Application {
}
