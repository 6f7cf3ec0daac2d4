package dev.larder.shop.catalog.boundary;

import dev.larder.shop.catalog.control.CategoryStore;
import dev.larder.shop.catalog.entity.Category;
import dev.larder.shop.catalog.entity.CategoryDraft;
import dev.larder.shop.platform.boundary.LarderApi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * A category's name and description, by its slug (the {@code category} of products). Reads are
 * anonymous; writes need the {@value LarderApi#ADMIN} role. A slug that is not lower-case letters,
 * digits and '-' (at most 64) is no category (404).
 */
@Path("categories")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CategoriesResource {

    static final String SLUG = "{slug: [a-z0-9][a-z0-9-]{0,63}}";

    @Inject
    CategoryStore categories;

    @GET
    @Path(SLUG)
    public Category find(@PathParam("slug") String slug) {
        return categories.find(slug);
    }

    @RolesAllowed(LarderApi.ADMIN)
    @PUT
    @Path(SLUG)
    public Category save(@PathParam("slug") String slug, @Valid @NotNull CategoryDraft draft) {
        return categories.save(slug, draft);
    }

    @RolesAllowed(LarderApi.ADMIN)
    @DELETE
    @Path(SLUG)
    public void delete(@PathParam("slug") String slug) {
        categories.delete(slug);
    }
}
