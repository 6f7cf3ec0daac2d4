package dev.larder.shop.orders.boundary;

import dev.larder.kit.events.control.EventPublisher;
import dev.larder.shop.cart.control.Carts;
import dev.larder.shop.catalog.entity.InventoryEvent;
import dev.larder.shop.leaderboard.control.BestSellers;
import dev.larder.shop.orders.control.Orders;
import dev.larder.shop.orders.entity.Order;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import java.util.Optional;

/**
 * Checkout of the session's cart, and the session's orders. An order belongs to the session that
 * placed it, through the owner token the session got with its first cart line (session ids rotate);
 * anyone else gets 404. {@code Idempotency-Key} makes a retried checkout return the first order.
 */
@Path("orders")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

    @Inject
    Carts carts;

    @Inject
    Orders orders;

    @Inject
    BestSellers bestSellers;

    @Inject
    EventPublisher events;

    @POST
    public Response checkout(@Context HttpServletRequest request, @Context UriInfo uri,
                             @HeaderParam("Idempotency-Key") String idempotencyKey) {
        if (idempotencyKey != null && !idempotencyKey.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new BadRequestException("Idempotency-Key is 1 to 64 letters, digits, '-' or '_'");
        }
        HttpSession session = request.getSession(false);
        Map<Long, Integer> lines = session == null ? Map.of() : carts.lines(session);
        Optional<String> key = Optional.ofNullable(idempotencyKey);
        String owner = session == null ? null : carts.owner(session);
        if (lines.isEmpty() && (owner == null || key.isEmpty())) {
            throw new BadRequestException("The cart is empty");
        }
        Orders.Placed placed = lines.isEmpty() ? replay(owner, key.get()) : place(owner, key, lines);
        if (!placed.replayed()) {
            carts.empty(session);
            bestSellers.count(placed.order());
            placed.stockLeft().forEach((product, stock) -> events.publish(InventoryEvent.TYPE, new InventoryEvent(product, stock)));
        }
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(placed.order().id())).build())
                .header("Idempotent-Replayed", placed.replayed())
                .entity(placed.order()).build();
    }

    /** A concurrent retry that locked other rows (its cart changed meanwhile) loses at the key's unique index: it replays. */
    private Orders.Placed place(String owner, Optional<String> key, Map<Long, Integer> lines) {
        try {
            return orders.checkout(owner, key, lines);
        } catch (Orders.KeyTaken taken) {
            return replay(owner, key.orElseThrow());
        }
    }

    private Orders.Placed replay(String owner, String key) {
        return orders.replay(owner, key).orElseThrow(() -> new BadRequestException("The cart is empty"));
    }

    @GET
    @Path("{id: [0-9]{1,19}}")
    public Order order(@Context HttpServletRequest request, @PathParam("id") String id) {
        String owner = Carts.existingOwner(request.getSession(false));
        if (owner == null) {
            throw notFound(id);
        }
        try {
            return orders.find(Long.parseLong(id), owner).orElseThrow(() -> notFound(id));
        } catch (NumberFormatException tooLarge) {
            throw notFound(id);
        }
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("No order " + id + " of this session");
    }
}
