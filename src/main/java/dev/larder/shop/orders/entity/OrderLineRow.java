package dev.larder.shop.orders.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** One line of an order as stored: the price is the one the database held at checkout. */
@Embeddable
public class OrderLineRow {

    @Column(nullable = false)
    long productId;

    @Column(nullable = false)
    int quantity;

    @Column(nullable = false)
    long priceCents;

    protected OrderLineRow() {
    }

    public OrderLineRow(long productId, int quantity, long priceCents) {
        this.productId = productId;
        this.quantity = quantity;
        this.priceCents = priceCents;
    }

    public Order.Item toItem() {
        return new Order.Item(productId, quantity, priceCents);
    }
}
