package dev.larder.shop.leaderboard.control;

import dev.larder.shop.orders.entity.OrderRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
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

    /**
     * Units sold per existing product, and the orders not counted yet, in one statement: one snapshot
     * of the database, so an order that commits meanwhile is either in both (summed and marked
     * counted) or in neither (the sweep counts it). Two statements could see it in the sum only, and
     * the sweep would then count it a second time.
     */
    static final String SNAPSHOT = "select l.productid, sum(l.quantity), cast(null as bigint) from order_line l"
            + " where l.productid in (select p.id from product p) group by l.productid"
            + " union all select cast(null as bigint), cast(null as bigint), o.id from orders o where o.countedat is null";
    static final int MARK_BATCH = 1000;

    /** What a rebuild needs, read in one transaction. */
    public record Snapshot(Map<Long, Long> unitsByProduct, List<Long> newlyCounted) {
    }

    /** Units sold per existing product over every order; and the orders not yet counted, now marked counted. */
    @SuppressWarnings("unchecked")
    public Snapshot snapshotForRebuild() {
        Map<Long, Long> units = new LinkedHashMap<>();
        List<Long> uncounted = new ArrayList<>();
        for (Object[] row : (List<Object[]>) em.createNativeQuery(SNAPSHOT).getResultList()) {
            if (row[2] != null) {
                uncounted.add(((Number) row[2]).longValue());
            } else {
                units.put(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
            }
        }
        for (int from = 0; from < uncounted.size(); from += MARK_BATCH) {
            markCounted(uncounted.subList(from, Math.min(uncounted.size(), from + MARK_BATCH)));
        }
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
