package dev.larder.shop.catalog.control;

import dev.larder.shop.catalog.entity.Product;
import dev.larder.shop.catalog.entity.ProductDraft;
import dev.larder.shop.catalog.entity.ProductPage;
import dev.larder.shop.catalog.entity.ProductRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.metrics.annotation.Counted;

/** The product table: every database read and write of the catalog goes through here. */
@ApplicationScoped
@Transactional
public class Products {

    @PersistenceContext(unitName = "larder")
    EntityManager em;

    /** The product, or null. Counted, so that tests and operators see how often the cache misses reach the database. */
    @Counted(name = "larder.catalog.product.reads", absolute = true, description = "Products read from the database by id")
    public Product find(long id) {
        ProductRow row = em.find(ProductRow.class, id);
        return row == null ? null : row.toProduct();
    }

    @Counted(name = "larder.catalog.page.reads", absolute = true, description = "Product pages read from the database")
    public ProductPage page(String category, int page, int size) {
        TypedQuery<ProductRow> items = category == null
                ? em.createNamedQuery("ProductRow.page", ProductRow.class)
                : em.createNamedQuery("ProductRow.pageInCategory", ProductRow.class).setParameter("category", category);
        TypedQuery<Long> count = category == null
                ? em.createNamedQuery("ProductRow.count", Long.class)
                : em.createNamedQuery("ProductRow.countInCategory", Long.class).setParameter("category", category);
        return new ProductPage(items.setFirstResult(page * size).setMaxResults(size).getResultStream()
                .map(ProductRow::toProduct).toList(), page, size, count.getSingleResult());
    }

    public Product create(ProductDraft draft) {
        requireFreeSku(draft.sku(), null);
        ProductRow row = new ProductRow(draft, now());
        em.persist(row);
        return flushed(row);
    }

    public Product replace(long id, ProductDraft draft) {
        ProductRow row = existing(id);
        requireFreeSku(draft.sku(), id);
        row.apply(draft, now());
        return flushed(row);
    }

    public void delete(long id) {
        em.remove(existing(id));
    }

    public Product adjustStock(long id, int delta) {
        ProductRow row = existing(id);
        if (!row.adjustStock(delta, now())) {
            throw new ClientErrorException("Stock of product " + id + " cannot change by " + delta, Response.Status.CONFLICT);
        }
        return flushed(row);
    }

    public long count() {
        return em.createNamedQuery("ProductRow.count", Long.class).getSingleResult();
    }

    private ProductRow existing(long id) {
        ProductRow row = em.find(ProductRow.class, id);
        if (row == null) {
            throw new NotFoundException("No product " + id);
        }
        return row;
    }

    private void requireFreeSku(String sku, Long owner) {
        em.createNamedQuery("ProductRow.bySku", ProductRow.class).setParameter("sku", sku).getResultStream()
                .filter(other -> owner == null || !owner.equals(other.toProduct().id()))
                .findAny()
                .ifPresent(other -> {
                    throw duplicate(sku);
                });
    }

    /** Flushes so that a unique-key race with another instance surfaces here as 409, not at commit as 500. */
    private Product flushed(ProductRow row) {
        try {
            em.flush();
        } catch (PersistenceException e) {
            throw duplicate(row.sku());
        }
        return row.toProduct();
    }

    private static ClientErrorException duplicate(String sku) {
        return new ClientErrorException("A product with sku '" + sku + "' exists", Response.Status.CONFLICT);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
