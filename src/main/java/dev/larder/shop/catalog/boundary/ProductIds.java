package dev.larder.shop.catalog.boundary;

import jakarta.ws.rs.NotFoundException;

/** Product ids in paths: digits only (the route enforces it); too large or zero is an unknown product. */
public final class ProductIds {

    private ProductIds() {
    }

    public static long parse(String id) {
        try {
            long value = Long.parseLong(id);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException tooLarge) {
            // falls through to 404: no product can have this id
        }
        throw new NotFoundException("No product " + id);
    }
}
