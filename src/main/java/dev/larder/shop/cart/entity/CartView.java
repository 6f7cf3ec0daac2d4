package dev.larder.shop.cart.entity;

import java.util.List;

/** The cart as the API shows it, priced from the catalog at the time of asking. */
public record CartView(List<Item> items, long totalCents) {

    public record Item(long productId, int quantity, long priceCents) {
    }
}
