package dev.larder.shop.catalog.control;

import dev.larder.kit.caching.control.CacheKeys;
import dev.larder.kit.caching.control.CacheRegistry;
import dev.larder.kit.caching.control.ResponseTier;
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
import java.util.function.LongFunction;

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

    /**
     * The product {@code read} finds for {@code id}, with every accepted view: its database count or,
     * if larger, the log's total. The total never decreases and a database count never exceeds it,
     * so in whichever order the two are read, a later answer never shows fewer views than an earlier
     * one. So when the product is not near (a Redis hit or a miss), the total is asked for before the
     * product is read, and its round trip overlaps the product's cache lookup instead of following it.
     *
     * <p>An answer made from a near copy may be kept by the response tier, and stays kept until a
     * view counted later drops that copy ({@link #count}): its total must be read after the copy, or
     * a view counted between the two reads would be missing from the kept answer. So a near product
     * (also one that became near while the early total was on its way) gets its total read after it.
     */
    public Product withPending(long id, LongFunction<Product> read) {
        String key = String.valueOf(id);
        if (caches.cache(ProductCache.NAME).holdsNear(CacheKeys.of(id))) {
            return withTotal(read.apply(id), views.total(key));
        }
        CounterLog.Total early = views.totalLater(key);
        Product product = read.apply(id);
        ResponseTier.Recording recording = ResponseTier.recording();
        boolean mayBeKept = recording != null && recording.keepable();
        return withTotal(product, mayBeKept ? views.total(key) : early.get());
    }

    private static Product withTotal(Product product, Long total) {
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
