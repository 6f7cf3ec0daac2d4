package dev.larder.shop.cart.entity;

import java.util.List;

/**
 * A whole cart in one session attribute ({@code cart}), as versions before per-line attributes kept
 * it: still read (and turned into lines) so that carts of sessions started before an upgrade
 * survive it. Never written any more; can go once no session can be older than the upgrade
 * ({@code larder.sessions.timeout} after it).
 */
public record Cart(List<CartLine> lines) {

    public Cart {
        lines = List.copyOf(lines);
    }

    /** One product and how many of it. */
    public record CartLine(long productId, int quantity) {
    }
}
