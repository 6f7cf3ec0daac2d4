package dev.larder.shop.cart.entity;

import java.util.ArrayList;
import java.util.List;

/** The lines of a shopping cart as the session keeps them: product ids and quantities, no prices. */
public record Cart(List<CartLine> lines) {

    public static final Cart EMPTY = new Cart(List.of());

    public Cart {
        lines = List.copyOf(lines);
    }

    public Cart with(long productId, int quantity) {
        List<CartLine> next = new ArrayList<>(without(productId).lines());
        next.add(new CartLine(productId, quantity));
        return new Cart(next);
    }

    public Cart without(long productId) {
        return new Cart(lines.stream().filter(l -> l.productId() != productId).toList());
    }

    /** One product and how many of it. */
    public record CartLine(long productId, int quantity) {
    }
}
