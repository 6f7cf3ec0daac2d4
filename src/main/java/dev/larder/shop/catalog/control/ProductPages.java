package dev.larder.shop.catalog.control;

import dev.larder.shop.catalog.entity.ProductPage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;

/**
 * Pages of products in the {@code product-pages} cache. That cache is versioned
 * ({@code larder.caching.product-pages.versioned=true}): any product change invalidates every page
 * at once by bumping the namespace version.
 */
@ApplicationScoped
@CacheDefaults(cacheName = "product-pages")
public class ProductPages {

    @Inject
    Products products;

    /** @param category null for every category */
    @CacheResult
    public ProductPage page(String category, int page, int size) {
        return products.page(category, page, size);
    }

    @CacheRemoveAll
    public void invalidate() {
        // the interceptor bumps the namespace version
    }
}
