package dev.larder.shop.cart.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.larder.shop.cart.entity.Cart;
import dev.larder.shop.cart.entity.CartView;
import dev.larder.shop.catalog.control.Catalog;
import dev.larder.shop.catalog.entity.Product;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cart's lines as session attributes, over a plain in-memory session and a catalog in which
 * every product costs 10 × its id. (Refusals are JAX-RS exceptions, which need a JAX-RS runtime:
 * the 51st line and unknown products are covered by {@code SessionsAndLimitsIT}.)
 */
class CartsTest {

    final Map<String, Object> attributes = new TreeMap<>();
    final HttpSession session = (HttpSession) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{HttpSession.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getAttribute" -> attributes.get((String) args[0]);
                case "getAttributeNames" -> Collections.enumeration(Set.copyOf(attributes.keySet()));
                case "setAttribute" -> attributes.put((String) args[0], args[1]);
                case "removeAttribute" -> attributes.remove((String) args[0]);
                case "getId" -> "session-id-1";
                default -> throw new UnsupportedOperationException(method.getName());
            });
    final Carts carts = new Carts();

    @BeforeEach
    void catalog() {
        carts.catalog = new Catalog() {
            @Override
            public Product find(long id) {
                return new Product(id, "sku-" + id, "Product " + id, "", 10 * id, 5, "pantry", 0, Instant.EPOCH);
            }
        };
    }

    @Test
    void keepsEachLineInAnAttributeOfItsOwnAndShowsThemInIdOrder() {
        carts.set(session, 7, 2);
        CartView view = carts.set(session, 3, 1);

        assertThat(attributes).containsOnlyKeys("cart:7", "cart:3", Carts.OWNER).containsEntry("cart:7", 2).containsEntry("cart:3", 1);
        assertThat(view.items()).extracting(CartView.Item::productId).containsExactly(3L, 7L);
        assertThat(view.totalCents()).isEqualTo(2 * 70 + 30);
    }

    @Test
    void removingAndEmptyingTouchOnlyCartLines() {
        attributes.put("other", "kept");
        carts.set(session, 1, 1);
        carts.set(session, 2, 1);

        assertThat(carts.remove(session, 1).items()).extracting(CartView.Item::productId).containsExactly(2L);
        carts.empty(session);

        assertThat(attributes).as("the owner token stays: the session's orders still belong to it")
                .containsOnlyKeys("other", Carts.OWNER);
    }

    /** So that concurrent checkouts of a session all see the token its orders belong to (none mints its own). */
    @Test
    void theOwnerTokenIsMintedWithTheFirstLineAndNeverChanges() {
        assertThat(carts.owner(session)).as("no cart, no owner").isNull();
        carts.set(session, 7, 2);
        String owner = carts.owner(session);
        carts.set(session, 3, 1);
        carts.empty(session);
        carts.set(session, 4, 1);

        assertThat(owner).isNotBlank().isEqualTo(attributes.get(Carts.OWNER));
        assertThat(carts.owner(session)).isEqualTo(owner);
        assertThat(Carts.existingOwner(session)).isEqualTo(owner);
    }

    @Test
    void aSessionWithLinesFromBeforeOwnerTokensGetsOneDerivedFromItsIdWhichEveryRequestAgreesOn() {
        attributes.put("cart:5", 1);

        String derived = carts.owner(session);
        attributes.remove(Carts.OWNER); // a concurrent request that had loaded the session before this one saved
        assertThat(carts.owner(session)).isEqualTo(derived).startsWith("s-").hasSizeLessThanOrEqualTo(64);
    }

    @Test
    void aWholeCartStoredByAnEarlierVersionBecomesLines() {
        attributes.put("cart", new Cart(List.of(new Cart.CartLine(4, 2), new Cart.CartLine(5, 1))));
        attributes.put("cart:5", 3); // already a line: that one wins

        CartView view = carts.view(session);

        assertThat(view.items()).extracting(CartView.Item::productId, CartView.Item::quantity)
                .containsExactly(tuple(4L, 2), tuple(5L, 3));
        assertThat(attributes).containsOnlyKeys("cart:4", "cart:5");
    }
}
