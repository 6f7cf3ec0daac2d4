package dev.larder.shop.cart.boundary;

import dev.larder.shop.cart.control.Carts;
import dev.larder.shop.catalog.boundary.ProductIds;
import dev.larder.shop.cart.entity.CartView;
import dev.larder.shop.cart.entity.QuantityChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/** The session's shopping cart. Reading an absent cart creates no session. */
@Path("cart")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CartResource {

    static final String PRODUCT = "{productId: [0-9]{1,19}}";

    @Inject
    Carts carts;

    @GET
    public CartView cart(@Context HttpServletRequest request) {
        return request.getSession(false) == null ? new CartView(java.util.List.of(), 0) : carts.view(request.getSession());
    }

    @PUT
    @Path("items/" + PRODUCT)
    public CartView set(@Context HttpServletRequest request, @PathParam("productId") String productId,
                        @Valid @NotNull QuantityChange change) {
        return carts.set(request.getSession(), ProductIds.parse(productId), change.quantity());
    }

    @DELETE
    @Path("items/" + PRODUCT)
    public CartView remove(@Context HttpServletRequest request, @PathParam("productId") String productId) {
        return request.getSession(false) == null ? new CartView(java.util.List.of(), 0)
                : carts.remove(request.getSession(), ProductIds.parse(productId));
    }

    @DELETE
    public void empty(@Context HttpServletRequest request) {
        if (request.getSession(false) != null) {
            carts.empty(request.getSession());
        }
    }
}
