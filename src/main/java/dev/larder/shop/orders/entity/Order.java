package dev.larder.shop.orders.entity;

import java.time.Instant;
import java.util.List;

/** An order as the API shows it. Money is integer cents. */
public record Order(long id, List<Item> items, long totalCents, Instant createdAt) {

    public record Item(long productId, int quantity, long priceCents) {
    }
}
