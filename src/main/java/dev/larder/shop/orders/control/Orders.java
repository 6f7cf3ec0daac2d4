package dev.larder.shop.orders.control;

import dev.larder.kit.caching.control.CacheEngine;
import dev.larder.kit.caching.control.ReadThrough;
import dev.larder.shop.catalog.control.ProductCache;
import dev.larder.shop.catalog.control.ProductPages;
import dev.larder.shop.catalog.entity.Product;
import dev.larder.shop.catalog.entity.ProductRow;
import dev.larder.shop.orders.entity.Order;
import dev.larder.shop.orders.entity.OrderLineRow;
import dev.larder.shop.orders.entity.OrderRow;
import dev.larder.shop.orders.entity.OwnedOrder;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.cache.integration.CacheLoader;

/**
 * Checkout in one database transaction: the products' rows are locked in id order (so two checkouts
 * never deadlock and never both sell the last unit), every line's stock is checked and decremented,
 * prices are the database's at that moment, and the products and pages are invalidated through the
 * caches' outbox in the same transaction. A retry with the same {@code Idempotency-Key} from the same
 * owner returns the first order, even if both arrive at once: the second waits for the first's locks
 * and then finds its order, or, if it locked other rows, the unique index of (owner, key) refuses it
 * ({@link KeyTaken}) and the caller replays.
 */
@ApplicationScoped
@Transactional
public class Orders {

    @PersistenceContext(unitName = "larder")
    EntityManager em;

    @Inject
    ProductCache products;

    @Inject
    ProductPages pages;

    @Inject
    CacheEngine engine;

    private ReadThrough<Long, OwnedOrder> lookups;

    /**
     * The order, whether it was placed before (a replayed request), and the stock its products have
     * left (empty for a replay).
     */
    public record Placed(Order order, boolean replayed, Map<Long, Integer> stockLeft) {
    }

    /**
     * Another checkout of the same owner and key committed its order while this one ran on other rows
     * (the unique index refused this one's); this transaction is rolled back, replay the first order.
     */
    public static final class KeyTaken extends RuntimeException {
        KeyTaken(Throwable cause) {
            super("Idempotency-Key already used by a concurrent checkout", cause);
        }
    }

    /** @param lines product id to quantity, at least one line */
    public Placed checkout(String owner, Optional<String> idempotencyKey, Map<Long, Integer> lines) {
        Optional<Placed> earlier = earlier(owner, idempotencyKey);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        SortedMap<Long, ProductRow> rows = new TreeMap<>();
        new TreeMap<>(lines).keySet().forEach(id -> rows.put(id, em.find(ProductRow.class, id, LockModeType.PESSIMISTIC_WRITE)));
        earlier = earlier(owner, idempotencyKey); // a concurrent retry may have committed while we waited for the locks
        if (earlier.isPresent()) {
            return earlier.get();
        }
        requireStock(lines, rows);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<OrderLineRow> ordered = new ArrayList<>();
        Map<Long, Integer> stockLeft = new TreeMap<>();
        rows.forEach((id, row) -> {
            Product product = row.toProduct();
            row.adjustStock(-lines.get(id), now);
            stockLeft.put(id, product.stock() - lines.get(id));
            ordered.add(new OrderLineRow(id, lines.get(id), product.priceCents()));
            products.remove(id);
        });
        pages.invalidate();
        OrderRow order = new OrderRow(owner, idempotencyKey.orElse(null), ordered, now);
        em.persist(order);
        try {
            em.flush();
        } catch (PersistenceException e) {
            if (idempotencyKey.isPresent() && uniqueViolation(e)) {
                throw new KeyTaken(e);
            }
            throw e;
        }
        return new Placed(order.toOrder(), false, stockLeft);
    }

    /** The order an earlier checkout with this key placed, if any (a retry after the cart was emptied). */
    public Optional<Placed> replay(String owner, String idempotencyKey) {
        return earlier(owner, Optional.of(idempotencyKey));
    }

    /**
     * The order, if it exists and belongs to {@code owner}. Orders never change once placed, so the
     * lookup is a read-through cache ({@code orders}, a JCache {@code CacheLoader} over the table).
     */
    public Optional<Order> find(long id, String owner) {
        return Optional.ofNullable(lookups.get(id)).filter(o -> o.owner().equals(owner)).map(OwnedOrder::order);
    }

    @PostConstruct
    void lookups() {
        lookups = engine.readThrough("orders", new CacheLoader<Long, OwnedOrder>() {
            @Override
            public OwnedOrder load(Long id) {
                return Optional.ofNullable(em.find(OrderRow.class, id)).map(o -> new OwnedOrder(o.owner(), o.toOrder())).orElse(null);
            }

            @Override
            public Map<Long, OwnedOrder> loadAll(Iterable<? extends Long> ids) {
                Map<Long, OwnedOrder> all = new java.util.HashMap<>();
                ids.forEach(id -> Optional.ofNullable(load(id)).ifPresent(o -> all.put(id, o)));
                return all;
            }
        }, Optional.empty());
    }

    private Optional<Placed> earlier(String owner, Optional<String> key) {
        return key.flatMap(k -> em.createNamedQuery("OrderRow.byKey", OrderRow.class)
                .setParameter("owner", owner).setParameter("key", k)
                .getResultStream().findFirst()).map(o -> new Placed(o.toOrder(), true, Map.of()));
    }

    private static boolean uniqueViolation(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void requireStock(Map<Long, Integer> lines, SortedMap<Long, ProductRow> rows) {
        List<String> short_ = new ArrayList<>();
        rows.forEach((id, row) -> {
            if (row == null) {
                short_.add("product " + id + " no longer exists");
            } else if (row.toProduct().stock() < lines.get(id)) {
                Product p = row.toProduct();
                short_.add("product " + id + " '" + p.name() + "' has " + p.stock() + " left, the cart wants " + lines.get(id));
            }
        });
        if (!short_.isEmpty()) {
            throw new ClientErrorException("Not enough stock: " + String.join("; ", short_), Response.Status.CONFLICT);
        }
    }
}
