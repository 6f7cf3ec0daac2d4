package dev.larder.shop.catalog.control;

import dev.larder.shop.catalog.entity.Product;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/** Products by id in the {@code products} cache: cache-aside reads, write-through puts, removal on delete. */
@ApplicationScoped
@CacheDefaults(cacheName = "products")
public class ProductCache {

    @Inject
    Products products;

    /** The product, from the cache or else the database; null (not cached) when there is none. */
    @CacheResult
    public Product find(@CacheKey long id) {
        return products.find(id);
    }

    @CachePut
    public void put(@CacheKey long id, @CacheValue Product product) {
        // the interceptor stores the value
    }

    @CacheRemove
    public void remove(@CacheKey long id) {
        // the interceptor removes the entry
    }
}
