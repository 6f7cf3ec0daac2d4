package dev.larder.shop.catalog.control;

import dev.larder.shop.catalog.entity.ProductDraft;
import dev.larder.shop.catalog.entity.ProductRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Seeds {@code larder.shop.seed-products} demo products into an empty database at start. Several
 * instances may start at once: the skus are fixed, so a second seeder hits the unique key, rolls
 * back and leaves the first one's products in place.
 */
@ApplicationScoped
public class DemoProducts {

    private static final Logger LOG = Logger.getLogger(DemoProducts.class.getName());
    private static final List<String> CATEGORIES = List.of("pantry", "dairy", "bakery", "produce", "drinks");

    @Inject
    @ConfigProperty(name = "larder.shop.seed-products", defaultValue = "0")
    int count;

    @Inject
    Products products;

    @Inject
    Seeding seeding;

    void seed(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (count <= 0 || products.count() > 0) {
            return;
        }
        try {
            seeding.insert(count);
            LOG.info(() -> "Seeded " + count + " demo products");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Demo products not seeded by this instance (another one may have seeded them)", e);
        }
    }

    static ProductDraft draft(int n) {
        String category = CATEGORIES.get(n % CATEGORIES.size());
        return new ProductDraft("demo-%06d".formatted(n), "Demo product %d".formatted(n),
                "A %s product for trying Larder".formatted(category), 100L + (n * 37L) % 9900, 50 + n % 200, category);
    }

    /** The inserting transaction, in its own bean so that the interceptor applies. */
    @ApplicationScoped
    @Transactional
    public static class Seeding {

        @PersistenceContext(unitName = "larder")
        EntityManager em;

        public void insert(int count) {
            for (int n = 1; n <= count; n++) {
                em.persist(new ProductRow(draft(n), Products.now()));
                if (n % 500 == 0) {
                    em.flush();
                    em.clear();
                }
            }
        }
    }
}
