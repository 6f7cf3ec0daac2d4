package dev.larder.shop.catalog.boundary;

import dev.larder.kit.caching.boundary.CachedResponse;
import dev.larder.kit.rest.boundary.IfMatch;
import dev.larder.shop.catalog.control.Catalog;
import dev.larder.shop.catalog.control.ProductViews;
import dev.larder.shop.catalog.entity.Product;
import dev.larder.shop.catalog.entity.ProductDraft;
import dev.larder.shop.catalog.entity.ProductPage;
import dev.larder.shop.catalog.entity.StockChange;
import dev.larder.shop.platform.boundary.LarderApi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The product catalog. Ids outside 1..2^63-1 or not made of digits are unknown products (404).
 * Stateless, so one instance serves every request (no per-request bean on the hot path). Reads are
 * anonymous; every write needs the {@value LarderApi#ADMIN} role (see {@link LarderApi}).
 */
@Path("products")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProductsResource {

    static final String ID = "{id: [0-9]{1,19}}";
    static final int MAX_PAGE = 1_000_000;

    @Inject
    Catalog catalog;

    @Inject
    ProductViews views;

    /**
     * The product with its {@code ETag}; 304 without a body when {@code If-None-Match} names the
     * current one. Kept by the response tier: the answer shows the cached product and its pending
     * views, and {@link ProductViews#count} drops the product's near copies when it counts one.
     */
    @GET
    @Path(ID)
    @CachedResponse
    public Response find(@PathParam("id") String id, @Context Request request) {
        Product product = views.withPending(ProductIds.parse(id), catalog::find);
        EntityTag tag = new EntityTag(product.tag());
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(tag);
        return (unchanged != null ? unchanged : Response.ok(product)).tag(tag).build();
    }

    @GET
    public ProductPage page(@QueryParam("category") String category, @QueryParam("page") String page,
                            @QueryParam("size") String size) {
        return catalog.page(Categories.parse(category), number("page", page, 0, 0, MAX_PAGE),
                number("size", size, 20, 1, 100));
    }

    @RolesAllowed(LarderApi.ADMIN)
    @POST
    public Response create(@Valid @NotNull ProductDraft draft, @Context UriInfo uri) {
        Product created = catalog.create(draft);
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id())).build())
                .entity(created).build();
    }

    /** Last writer wins; with {@code If-Match}, a stale tag is 412 and changes nothing. */
    @RolesAllowed(LarderApi.ADMIN)
    @PUT
    @Path(ID)
    public Response replace(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                            @Valid @NotNull ProductDraft draft) {
        Product replaced = catalog.replace(ProductIds.parse(id), draft, IfMatch.of(ifMatch));
        return Response.ok(replaced).tag(new EntityTag(replaced.tag())).build();
    }

    @RolesAllowed(LarderApi.ADMIN)
    @DELETE
    @Path(ID)
    public void delete(@PathParam("id") String id) {
        catalog.delete(ProductIds.parse(id));
    }

    @RolesAllowed(LarderApi.ADMIN)
    @POST
    @Path(ID + "/stock")
    public Product adjustStock(@PathParam("id") String id, @Valid @NotNull StockChange change) {
        return catalog.adjustStock(ProductIds.parse(id), change.delta());
    }

    static int number(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        if (!value.matches("[0-9]{1,9}") || Integer.parseInt(value) < min || Integer.parseInt(value) > max) {
            throw new BadRequestException("Query parameter '" + name + "' must be a whole number from " + min + " to " + max);
        }
        return Integer.parseInt(value);
    }
}
