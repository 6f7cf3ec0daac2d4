package dev.larder.shop.platform.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A static answer that touches neither Redis nor the database: the server's own ceiling in benchmarks. */
@Path("ping")
@ApplicationScoped
public class PingResource {

    private static final String OK = "{\"status\":\"ok\"}";

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String ping() {
        return OK;
    }
}
