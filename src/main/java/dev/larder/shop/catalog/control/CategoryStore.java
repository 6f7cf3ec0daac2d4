package dev.larder.shop.catalog.control;

import dev.larder.kit.caching.control.CacheEngine;
import dev.larder.kit.caching.control.ReadThrough;
import dev.larder.shop.catalog.entity.Category;
import dev.larder.shop.catalog.entity.CategoryDraft;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.NotFoundException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.cache.Cache;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/**
 * The categories' names and descriptions, used through JSR-107's integration interfaces: reads go
 * through a {@link CacheLoader} (read-through) and every write and delete through a {@link CacheWriter}
 * (write-through): the writer commits to the table, then the entry is invalidated on every instance
 * (see {@link ReadThrough} for why it is not stored). Write-through fits here because nothing else
 * writes the table.
 */
@ApplicationScoped
public class CategoryStore {

    static final String CACHE = "categories";

    @Inject
    CacheEngine engine;

    @Inject
    CategoryRows rows;

    private ReadThrough<String, Category> categories;

    @PostConstruct
    void open() {
        categories = engine.readThrough(CACHE, new Loader(), Optional.of(new Writer()));
    }

    public Category find(String slug) {
        return Optional.ofNullable(categories.get(slug)).orElseThrow(() -> new NotFoundException("No category " + slug));
    }

    /** Creates or replaces a category; last writer wins. */
    public Category save(String slug, CategoryDraft draft) {
        Category category = new Category(slug, draft.name(), draft.description(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        categories.put(slug, category);
        return category;
    }

    /** 404 if there is no such category. */
    public void delete(String slug) {
        categories.remove(slug);
    }

    private final class Loader implements CacheLoader<String, Category> {
        @Override
        public Category load(String slug) {
            return rows.find(slug);
        }

        @Override
        public Map<String, Category> loadAll(Iterable<? extends String> slugs) {
            Map<String, Category> all = new HashMap<>();
            slugs.forEach(slug -> Optional.ofNullable(load(slug)).ifPresent(c -> all.put(slug, c)));
            return all;
        }
    }

    private final class Writer implements CacheWriter<String, Category> {
        @Override
        public void write(Cache.Entry<? extends String, ? extends Category> entry) {
            try {
                rows.save(entry.getValue());
            } catch (PersistenceException insertedMeanwhile) {
                rows.save(entry.getValue()); // another instance created the slug first: now it is an update
            }
        }

        @Override
        public void writeAll(Collection<Cache.Entry<? extends String, ? extends Category>> entries) {
            entries.forEach(this::write);
        }

        @Override
        public void delete(Object slug) {
            rows.delete((String) slug);
        }

        @Override
        public void deleteAll(Collection<?> slugs) {
            slugs.forEach(this::delete);
        }
    }
}
