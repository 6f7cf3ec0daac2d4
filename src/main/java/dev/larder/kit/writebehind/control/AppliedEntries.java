package dev.larder.kit.writebehind.control;

import dev.larder.kit.writebehind.entity.AppliedEntry;
import dev.larder.kit.writebehind.entity.Delta;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The database side of write-behind: a batch of deltas is applied in one transaction of its own,
 * together with the ids of its entries ({@code larder_applied_entries}); entries already recorded
 * there are skipped. Two instances applying one entry at once collide on the primary key, and one
 * of them rolls back.
 */
@ApplicationScoped
public class AppliedEntries {

    @PersistenceContext
    EntityManager em;

    /** Sums the deltas not applied before per key, hands the sums to {@code apply} and records the entries, in one new transaction. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void apply(String log, List<Delta> deltas, Consumer<Map<String, Long>> apply) {
        Set<String> seen = new HashSet<>(em.createNamedQuery("AppliedEntry.among", String.class).setParameter("stream", log)
                .setParameter("ids", deltas.stream().map(Delta::id).toList()).getResultList());
        Map<String, Long> sums = new TreeMap<>();
        long now = System.currentTimeMillis();
        for (Delta delta : deltas) {
            if (!seen.add(delta.id())) {
                continue;
            }
            em.persist(new AppliedEntry(log, delta.id(), now));
            if (delta.key() != null && delta.amount() != 0) {
                sums.merge(delta.key(), delta.amount(), Long::sum);
            }
        }
        if (!sums.isEmpty()) {
            apply.accept(sums);
        }
        em.flush();
    }

    /**
     * Forgets the applied entries of {@code log} whose ids are older than {@code millis}, the time of
     * the oldest entry still in the stream: they left it, and stream ids only grow, so none of them
     * can be delivered again.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int forgetBefore(String log, long millis) {
        return em.createNamedQuery("AppliedEntry.before").setParameter("stream", log).setParameter("millis", millis).executeUpdate();
    }
}
