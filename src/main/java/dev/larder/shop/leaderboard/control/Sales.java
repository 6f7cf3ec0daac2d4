package dev.larder.shop.leaderboard.control;

import dev.larder.shop.orders.entity.OrderRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The orders as the ranking sees them: units sold per product, and which orders it has counted. */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class Sales {

    @PersistenceContext(unitName = "larder")
    EntityManager em;

    /** What a rebuild needs, read in one transaction. */
    public record Snapshot(Map<Long, Long> unitsByProduct, List<Long> newlyCounted) {
    }

    /** Units sold per existing product over every order; and the orders not yet counted, now marked counted. */
    public Snapshot snapshotForRebuild() {
        List<Long> uncounted = em.createQuery("select o.id from OrderRow o where o.countedAt is null", Long.class).getResultList();
        Map<Long, Long> units = snapshotWithoutMarking();
        markCounted(uncounted);
        return new Snapshot(units, uncounted);
    }

    /** Units sold per existing product, straight from the orders (the ranking's source of truth). */
    public Map<Long, Long> unitsByProduct() {
        return snapshotWithoutMarking();
    }

    private Map<Long, Long> snapshotWithoutMarking() {
        Map<Long, Long> units = new LinkedHashMap<>();
        em.createQuery("select l.productId, sum(l.quantity) from OrderRow o join o.lines l"
                        + " where l.productId in (select p.id from ProductRow p) group by l.productId", Object[].class)
                .getResultList().forEach(r -> units.put(((Number) r[0]).longValue(), ((Number) r[1]).longValue()));
        return units;
    }

    /** Orders placed before {@code before} whose units are not in the ranking yet. */
    public List<OrderRow> uncounted(Instant before, int limit) {
        return em.createNamedQuery("OrderRow.uncounted", OrderRow.class).setParameter("before", before)
                .setMaxResults(limit).getResultList();
    }

    public void markCounted(Collection<Long> orderIds) {
        if (!orderIds.isEmpty()) {
            em.createNamedQuery("OrderRow.count").setParameter("now", Instant.now()).setParameter("ids", orderIds).executeUpdate();
        }
    }
}
