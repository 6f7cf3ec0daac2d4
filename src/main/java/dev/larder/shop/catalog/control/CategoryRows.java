package dev.larder.shop.catalog.control;

import dev.larder.shop.catalog.entity.Category;
import dev.larder.shop.catalog.entity.CategoryRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.NotFoundException;

/** The category table, one transaction per call: what the {@code categories} cache loads from and writes to. */
@ApplicationScoped
@Transactional
public class CategoryRows {

    @PersistenceContext(unitName = "larder")
    EntityManager em;

    @Transactional(Transactional.TxType.SUPPORTS)
    public Category find(String slug) {
        CategoryRow row = em.find(CategoryRow.class, slug);
        return row == null ? null : row.toCategory();
    }

    /** Inserts or replaces; flushed here, so that two instances inserting one slug at once fail here, not at commit. */
    public void save(Category category) {
        CategoryRow row = em.find(CategoryRow.class, category.slug(), LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            em.persist(new CategoryRow(category));
        } else {
            row.apply(category);
        }
        em.flush();
    }

    public void delete(String slug) {
        CategoryRow row = em.find(CategoryRow.class, slug, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            throw new NotFoundException("No category " + slug);
        }
        em.remove(row);
    }
}
