package dev.larder.kit.caching.control;

import dev.larder.kit.caching.entity.PendingInvalidation;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/**
 * The transactional outbox of cache invalidations. A {@code @CacheRemove} or {@code @CacheRemoveAll}
 * that runs inside a JTA transaction does not touch Redis there: it records a
 * {@link PendingInvalidation} in the same transaction, so the invalidation exists exactly when the
 * change does. Right after the commit, on the committing thread (before the response goes out),
 * {@link OutboxRelay} carries it out in Redis; if Redis cannot be reached then, or this instance dies
 * first, the row stays and the relay of any instance that reaches both the database and Redis
 * carries it out later. A rolled-back transaction leaves nothing to do.
 */
@ApplicationScoped
public class InvalidationOutbox {

    @PersistenceContext
    EntityManager em;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Inject
    OutboxRelay relay;

    /** Whether the caller runs inside an active transaction, so that an invalidation can join it. */
    public boolean inTransaction() {
        return transactions.getTransactionStatus() == Status.STATUS_ACTIVE;
    }

    /** Records an invalidation of {@code key} (null: the whole cache) in the caller's transaction. */
    public void record(String cache, String key) {
        PendingInvalidation pending = new PendingInvalidation(cache, key, System.currentTimeMillis());
        em.persist(pending);
        recordedInThisTransaction().add(pending);
    }

    /**
     * Records an invalidation that could not reach Redis outside any transaction (a
     * {@code @CacheRemove} while Redis was unavailable, say), in a transaction of its own, so that the
     * relay carries it out once Redis answers. False if the database could not take it either.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordAlone(String cache, String key) {
        em.persist(new PendingInvalidation(cache, key, System.currentTimeMillis()));
    }

    @SuppressWarnings("unchecked")
    private List<PendingInvalidation> recordedInThisTransaction() {
        List<PendingInvalidation> recorded = (List<PendingInvalidation>) transactions.getResource(InvalidationOutbox.class);
        if (recorded == null) {
            List<PendingInvalidation> fresh = new ArrayList<>();
            transactions.putResource(InvalidationOutbox.class, fresh);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    // ids come from a sequence at persist time: nothing to do before the commit
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        relay.afterCommit(fresh);
                    }
                }
            });
            recorded = fresh;
        }
        return recorded;
    }
}
