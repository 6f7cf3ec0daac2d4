package dev.larder.shop.leaderboard.boundary;

import dev.larder.shop.catalog.boundary.ProductIds;
import dev.larder.shop.leaderboard.control.BestSellers;
import dev.larder.shop.leaderboard.entity.Ranked;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The best-selling products, ranked by units sold over every order. */
@Path("leaderboard/best-sellers")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class LeaderboardResource {

    @Inject
    BestSellers bestSellers;

    @GET
    public List<Ranked> top(@QueryParam("limit") String limit) {
        if (limit != null && !limit.matches("[0-9]{1,3}") || limit != null && (Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > 100)) {
            throw new BadRequestException("Query parameter 'limit' must be a whole number from 1 to 100");
        }
        return bestSellers.top(limit == null ? 10 : Integer.parseInt(limit));
    }

    @GET
    @Path("{productId: [0-9]{1,19}}")
    public Ranked rank(@PathParam("productId") String productId) {
        return bestSellers.rank(ProductIds.parse(productId));
    }
}
