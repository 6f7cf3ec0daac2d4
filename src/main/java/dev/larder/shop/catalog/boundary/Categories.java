package dev.larder.shop.catalog.boundary;

import jakarta.ws.rs.BadRequestException;

/** The {@code category} query parameter: absent or empty means every category. */
final class Categories {

    private Categories() {
    }

    static String parse(String category) {
        if (category == null || category.isEmpty()) {
            return null;
        }
        if (category.length() > 64 || !category.matches("[a-z0-9][a-z0-9-]*")) {
            throw new BadRequestException("Query parameter 'category' takes lower-case letters, digits and '-' (at most 64)");
        }
        return category;
    }
}
