package dev.larder.shop.catalog.boundary;

import dev.larder.shop.catalog.control.ProductViews;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Views of a product, counted write-behind: 202 once the view is durable in Redis, 404 for an unknown
 * product, 503 when Redis is unavailable (never accepted and then dropped). Anonymous, unlike the
 * product writes: a resource of its own, so that their access rules stay off it.
 */
@Path("products/" + ProductsResource.ID + "/views")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class ProductViewsResource {

    @Inject
    ProductViews views;

    @POST
    public Response count(@PathParam("id") String id) {
        views.count(ProductIds.parse(id));
        return Response.accepted().build();
    }
}
