package dev.larder.kit.caching.control;

import dev.larder.kit.caching.entity.PendingInvalidation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;

/** The outbox table, each call in a transaction of its own. */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class OutboxRows {

    @PersistenceContext
    EntityManager em;

    /** Up to {@code limit} invalidations recorded at or before {@code beforeMillis}, oldest first. */
    public List<PendingInvalidation> due(long beforeMillis, int limit) {
        return em.createNamedQuery("PendingInvalidation.due", PendingInvalidation.class)
                .setParameter("before", beforeMillis)
                .setMaxResults(limit)
                .getResultList();
    }

    /** Forgets invalidations that were carried out (by anyone: deleting twice is harmless). */
    public void delete(Collection<Long> ids) {
        if (!ids.isEmpty()) {
            em.createNamedQuery("PendingInvalidation.delete").setParameter("ids", ids).executeUpdate();
        }
    }
}
