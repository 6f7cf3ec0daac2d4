package dev.larder.shop.orders.entity;

/** An order with the owner token of the session that placed it, as the {@code orders} cache keeps it. */
public record OwnedOrder(String owner, Order order) {
}
