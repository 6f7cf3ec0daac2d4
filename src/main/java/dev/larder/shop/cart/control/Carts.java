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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The session's cart, one session attribute per line ({@code cart:<productId>} → quantity), so that
 * the session store merges concurrent changes of different lines instead of keeping the last whole
 * cart written. Lines keep ids and quantities only; prices come from the catalog (its cache) when the
 * cart is shown, and lines of deleted products drop out. The session's owner token (what its orders
 * belong to) is minted with its first line, so any request that sees a line sees the token too.
 */
@ApplicationScoped
public class Carts {

    static final String LINE = "cart:";
    static final String WHOLE = "cart";
    /** The attribute holding the session's owner token (its orders belong to it; session ids rotate, it does not). */
    static final String OWNER = "orders:owner";
    static final int MAX_LINES = 50;

    @Inject
    Catalog catalog;

    public CartView view(HttpSession session) {
        return price(lines(session));
    }

    public CartView set(HttpSession session, long productId, int quantity) {
        catalog.find(productId); // 404 for an unknown product
        Map<Long, Integer> lines = lines(session);
        if (!lines.containsKey(productId) && lines.size() >= MAX_LINES) {
            throw new BadRequestException("A cart holds at most " + MAX_LINES + " different products");
        }
        if (!(session.getAttribute(OWNER) instanceof String)) {
            session.setAttribute(OWNER, UUID.randomUUID().toString()); // saved with the line, in one write
        }
        session.setAttribute(LINE + productId, quantity);
        lines.put(productId, quantity);
        return price(lines);
    }

    public CartView remove(HttpSession session, long productId) {
        Map<Long, Integer> lines = lines(session);
        session.removeAttribute(LINE + productId);
        lines.remove(productId);
        return price(lines);
    }

    /** Removes the lines this request sees; a line another request adds meanwhile stays. */
    public void empty(HttpSession session) {
        lines(session).keySet().forEach(productId -> session.removeAttribute(LINE + productId));
    }

    /**
     * The token the session's orders belong to, for a session that has one or has lines: minted with
     * the first line; a session from before that gets one derived from its id, so that concurrent
     * checkouts of that session agree on it. Null for a session that never had a cart line.
     */
    public String owner(HttpSession session) {
        if (session.getAttribute(OWNER) instanceof String token) {
            return token;
        }
        if (lines(session).isEmpty()) {
            return null;
        }
        String derived = "s-" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(session.getId()));
        session.setAttribute(OWNER, derived);
        return derived;
    }

    /** The session's owner token if it has one; never mints. */
    public static String existingOwner(HttpSession session) {
        return session != null && session.getAttribute(OWNER) instanceof String token ? token : null;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The lines by product id, in id order; a cart stored whole (before lines were attributes) becomes lines first. */
    public Map<Long, Integer> lines(HttpSession session) {
        if (session.getAttribute(WHOLE) instanceof Cart whole) {
            whole.lines().forEach(line -> {
                if (session.getAttribute(LINE + line.productId()) == null) {
                    session.setAttribute(LINE + line.productId(), line.quantity());
                }
            });
            session.removeAttribute(WHOLE);
        }
        Map<Long, Integer> lines = new TreeMap<>();
        for (String name : Collections.list(session.getAttributeNames())) {
            if (name.startsWith(LINE) && session.getAttribute(name) instanceof Integer quantity) {
                lines.put(Long.parseLong(name.substring(LINE.length())), quantity);
            }
        }
        return lines;
    }

    private CartView price(Map<Long, Integer> lines) {
        List<CartView.Item> items = new ArrayList<>();
        lines.forEach((productId, quantity) -> {
            try {
                Product product = catalog.find(productId);
                items.add(new CartView.Item(productId, quantity, product.priceCents()));
            } catch (NotFoundException deleted) {
                // the product left the catalog: its line leaves the cart
            }
        });
        return new CartView(items, items.stream().mapToLong(i -> i.priceCents() * i.quantity()).sum());
    }
}
