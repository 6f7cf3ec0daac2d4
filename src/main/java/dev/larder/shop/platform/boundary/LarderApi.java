package dev.larder.shop.platform.boundary;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import java.util.Map;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The REST API lives under {@code /api}; health, metrics and OpenAPI stay at the server's root. The
 * OpenAPI document is {@code META-INF/openapi.yaml} (see microprofile-config.properties for why).
 *
 * <p>Callers authenticate with a MicroProfile JWT bearer token, verified by the server's own MP-JWT
 * ({@code mp.jwt.verify.publickey} or {@code .publickey.location}, {@code mp.jwt.verify.issuer});
 * the token's {@code groups} are its roles. Only {@value #ADMIN} is used: catalog writes and cache
 * administration need it, everything else is anonymous. The class is a CDI bean only so that Payara
 * sees {@code @LoginConfig}: its MP-JWT extension looks for the annotation on beans, and with
 * {@code bean-discovery-mode="annotated"} a plain {@code Application} is none (the server then falls
 * back to HTTP Basic against its file realm).
 */
@ApplicationScoped
@ApplicationPath("api")
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles(LarderApi.ADMIN)
public class LarderApi extends Application {

    /** The group of a token that may change the catalog and invalidate caches. */
    public static final String ADMIN = "admin";

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
