package dev.larder.shop.catalog.control;

import dev.larder.kit.rest.boundary.IfMatch;
import dev.larder.shop.catalog.entity.Product;
import dev.larder.shop.catalog.entity.ProductDraft;
import dev.larder.shop.catalog.entity.ProductPage;
import dev.larder.shop.catalog.entity.ProductRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.Counted;

/**
 * The product table: every database read and write of the catalog goes through here. A write locks
 * its row ({@code SELECT ... FOR UPDATE}) for the length of its transaction, so concurrent writers
 * of one product, on any instance, take turns instead of failing; and each write invalidates the
 * product and every page in the same transaction (the caches' outbox), so no cache keeps a value
 * older than the last commit.
 */
@ApplicationScoped
@Transactional
public class Products {

    /** SQLSTATE of a unique-key violation, on PostgreSQL and H2 alike. */
    static final String UNIQUE_VIOLATION = "23505";

    @PersistenceContext(unitName = "larder")
    EntityManager em;

    @Inject
    ProductCache cache;

    @Inject
    ProductPages pages;

    /**
     * The product, or null: the read of a cache miss inside a transaction ({@link ProductReads}, which
     * counts it; outside one it reads with plain JDBC). Joins the caller's transaction, so it sees what
     * that transaction wrote and has not flushed yet.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Product find(long id) {
        ProductRow row = em.find(ProductRow.class, id);
        return row == null ? null : row.toProduct();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    @Counted(name = "larder.catalog.page.reads", absolute = true, unit = MetricUnits.NONE,
            description = "Product pages read from the database")
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
        pages.invalidate();
        return flushed(row);
    }

    /**
     * Replaces a product: last writer wins, unless {@code precondition} (a client's {@code If-Match})
     * names another version than the one in the database, which is a 412 that changes nothing.
     */
    public Product replace(long id, ProductDraft draft, Optional<IfMatch> precondition) {
        ProductRow row = locked(id);
        precondition.ifPresent(p -> p.require(row.toProduct().tag(), "Product " + id));
        requireFreeSku(draft.sku(), id);
        row.apply(draft, now());
        return changed(row);
    }

    public void delete(long id) {
        em.remove(locked(id));
        cache.remove(id);
        pages.invalidate();
    }

    public Product adjustStock(long id, int delta) {
        ProductRow row = locked(id);
        if (!row.adjustStock(delta, now())) {
            throw new ClientErrorException("Stock of product " + id + " cannot change by " + delta, Response.Status.CONFLICT);
        }
        return changed(row);
    }

    private Product changed(ProductRow row) {
        Product product = flushed(row);
        cache.remove(product.id());
        pages.invalidate();
        return product;
    }

    public long count() {
        return em.createNamedQuery("ProductRow.count", Long.class).getSingleResult();
    }

    /** The row, locked against other writers until this transaction ends. */
    private ProductRow locked(long id) {
        ProductRow row = em.find(ProductRow.class, id, LockModeType.PESSIMISTIC_WRITE);
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

    /**
     * Flushes so that a unique-key race with another instance surfaces here as 409, not at commit as
     * 500. Only a unique-key violation is a conflict; any other database failure stays what it is.
     */
    private Product flushed(ProductRow row) {
        try {
            em.flush();
        } catch (PersistenceException e) {
            if (uniqueViolation(e)) {
                throw duplicate(row.sku());
            }
            throw e;
        }
        return row.toProduct();
    }

    private static boolean uniqueViolation(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static ClientErrorException duplicate(String sku) {
        return new ClientErrorException("A product with sku '" + sku + "' exists", Response.Status.CONFLICT);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
