package dev.larder.shop.catalog.control;

import dev.larder.kit.caching.control.CacheKeys;
import dev.larder.kit.caching.control.CacheRegistry;
import dev.larder.kit.writebehind.control.CounterLog;
import dev.larder.kit.writebehind.control.WriteBehind;
import dev.larder.shop.catalog.entity.Product;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.ServiceUnavailableException;
import java.util.Map;

/**
 * Product views, written behind: a view is durable once it is in the {@code views} write-behind log
 * (Redis); the flushers add the counts to {@code product.viewCount} in batches, invalidating each
 * changed product through the caches' outbox in the same transaction. A product shows the larger of
 * its database count and the log's total of accepted views, which never decreases.
 */
@ApplicationScoped
public class ProductViews {

    static final String LOG = "views";

    @Inject
    Catalog catalog;

    @Inject
    ProductCache cache;

    @Inject
    WriteBehind writeBehind;

    @Inject
    CacheRegistry caches;

    @PersistenceContext(unitName = "larder")
    EntityManager em;

    private volatile CounterLog views;

    void start(@Observes @Initialized(ApplicationScoped.class) Object deployed) {
        views = writeBehind.start(LOG, this::add);
    }

    /** Counts one view of a product, durably; 404 if there is no such product, 503 if Redis is unavailable. */
    public void count(long id) {
        Product product = catalog.find(id);
        if (views.add(String.valueOf(id), 1, product.viewCount()) == null) {
            throw new ServiceUnavailableException("Views cannot be counted now; retry later", 1L);
        }
        caches.cache(ProductCache.NAME).dropNearCopies(CacheKeys.of(id)); // answers kept near show the old count
    }

    /** The product with every accepted view: its database count or, if larger, the log's total. */
    public Product withPending(Product product) {
        Long total = views.total(String.valueOf(product.id()));
        if (total == null || total <= product.viewCount()) {
            return product;
        }
        return new Product(product.id(), product.sku(), product.name(), product.description(), product.priceCents(),
                product.stock(), product.category(), total, product.updatedAt());
    }

    /** Inside a flush's transaction: adds the counts in id order (the order every writer locks rows in) and invalidates. */
    void add(Map<String, Long> counts) {
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey((x, y) -> Long.compare(Long.parseLong(x), Long.parseLong(y))))
                .forEach(count -> {
                    long id = Long.parseLong(count.getKey());
                    int changed = em.createQuery("update ProductRow p set p.viewCount = p.viewCount + :n where p.id = :id")
                            .setParameter("n", count.getValue()).setParameter("id", id).executeUpdate();
                    if (changed > 0) {
                        cache.remove(id);
                    }
                });
    }
}
