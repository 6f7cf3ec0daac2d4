package dev.larder.shop.catalog.control;

import dev.larder.shop.catalog.entity.Product;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheResult;

/**
 * Products by id in the {@code products} cache: cache-aside reads; {@link #remove} inside a write's
 * transaction invalidates through the outbox after the commit (not write-through, which two writers
 * on two instances could land in Redis in the wrong order).
 */
@ApplicationScoped
@CacheDefaults(cacheName = ProductCache.NAME)
public class ProductCache {

    public static final String NAME = "products";

    @Inject
    ProductReads products;

    /** The product, from the cache or else the database; null (not cached) when there is none. */
    @CacheResult
    public Product find(@CacheKey long id) {
        return products.find(id);
    }

    @CacheRemove
    public void remove(@CacheKey long id) {
        // the interceptor removes the entry
    }
}
