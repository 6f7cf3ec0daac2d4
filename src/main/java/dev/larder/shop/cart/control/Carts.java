package dev.larder.shop.cart.control;

import dev.larder.shop.cart.entity.Cart;
import dev.larder.shop.cart.entity.CartView;
import dev.larder.shop.catalog.control.Catalog;
import dev.larder.shop.catalog.entity.Product;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpSession;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The session's cart (attribute {@code cart}). Lines keep ids and quantities only; prices come
 * from the catalog (its cache) when the cart is shown, and lines of deleted products drop out.
 */
@ApplicationScoped
public class Carts {

    static final String ATTRIBUTE = "cart";
    static final int MAX_LINES = 50;

    @Inject
    Catalog catalog;

    public CartView view(HttpSession session) {
        return price(cart(session));
    }

    public CartView set(HttpSession session, long productId, int quantity) {
        catalog.find(productId); // 404 for an unknown product
        Cart cart = cart(session).with(productId, quantity);
        if (cart.lines().size() > MAX_LINES) {
            throw new BadRequestException("A cart holds at most " + MAX_LINES + " different products");
        }
        session.setAttribute(ATTRIBUTE, cart);
        return price(cart);
    }

    public CartView remove(HttpSession session, long productId) {
        Cart cart = cart(session).without(productId);
        session.setAttribute(ATTRIBUTE, cart);
        return price(cart);
    }

    public void empty(HttpSession session) {
        session.removeAttribute(ATTRIBUTE);
    }

    /** The lines by product id, in id order. */
    public Map<Long, Integer> lines(HttpSession session) {
        Map<Long, Integer> lines = new java.util.TreeMap<>();
        cart(session).lines().forEach(l -> lines.put(l.productId(), l.quantity()));
        return lines;
    }

    private static Cart cart(HttpSession session) {
        return session.getAttribute(ATTRIBUTE) instanceof Cart cart ? cart : Cart.EMPTY;
    }

    private CartView price(Cart cart) {
        List<CartView.Item> items = new ArrayList<>();
        for (Cart.CartLine line : cart.lines()) {
            try {
                Product product = catalog.find(line.productId());
                items.add(new CartView.Item(line.productId(), line.quantity(), product.priceCents()));
            } catch (NotFoundException deleted) {
                // the product left the catalog: its line leaves the cart
            }
        }
        return new CartView(items, items.stream().mapToLong(i -> i.priceCents() * i.quantity()).sum());
    }
}
