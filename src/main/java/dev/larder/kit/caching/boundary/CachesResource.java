package dev.larder.kit.caching.boundary;

import dev.larder.kit.caching.control.CacheRegistry;
import dev.larder.kit.caching.control.CacheStats;
import dev.larder.kit.caching.control.ClusterStatistics;
import dev.larder.kit.caching.control.ClusterStats;
import dev.larder.kit.caching.control.NamedCache;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-cache statistics of this instance and summed over every live instance (anyone may read them), and invalidation of a whole cache for
 * every instance, which needs the role {@value #ADMIN}: the application declares it and maps it from
 * its callers' credentials.
 */
@Path("caches")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class CachesResource {

    /** The role that may invalidate caches. */
    public static final String ADMIN = "admin";

    @Inject
    CacheRegistry registry;

    @Inject
    ClusterStatistics cluster;

    /** This instance's counters per cache, each with {@code cluster}: the sums over every live instance (absent when Redis cannot say). */
    @GET
    public List<CacheStats> statistics() {
        List<CacheStats> own = registry.all().stream().map(NamedCache::stats).toList();
        Optional<Map<String, ClusterStats>> sums = cluster.sums(own);
        return own.stream().map(stats -> stats.withCluster(sums.map(all -> all.get(stats.name())).orElse(null))).toList();
    }

    /** 204 once every instance was told; 503 (nothing done, retry) when Redis cannot be reached. */
    @DELETE
    @Path("{name}")
    @RolesAllowed(ADMIN)
    public void invalidate(@PathParam("name") String name) {
        boolean done = registry.known(name)
                .orElseThrow(() -> new NotFoundException("No cache named '" + name + "'"))
                .invalidateAll();
        if (!done) {
            throw new ServiceUnavailableException("Redis is unavailable, so cache '" + name
                    + "' was not invalidated; retry once it answers", 1L);
        }
    }
}
