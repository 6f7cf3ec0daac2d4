package dev.larder.shop.catalog.control;

import dev.larder.shop.catalog.entity.Product;
import dev.larder.kit.events.control.EventPublisher;
import dev.larder.shop.catalog.entity.ProductDraft;
import dev.larder.shop.catalog.entity.ProductEvent;
import dev.larder.shop.catalog.entity.ProductPage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;

/**
 * The catalog's use cases. Each write commits to the database first (in {@link Products}) and only
 * then touches the caches, so a cache never holds a value the database rolled back.
 */
@ApplicationScoped
public class Catalog {

    @Inject
    Products products;

    @Inject
    ProductCache cache;

    @Inject
    ProductPages pages;

    @Inject
    EventPublisher events;

    public Product find(long id) {
        Product product = cache.find(id);
        if (product == null) {
            throw new NotFoundException("No product " + id);
        }
        return product;
    }

    public ProductPage page(String category, int page, int size) {
        return pages.page(category, page, size);
    }

    public Product create(ProductDraft draft) {
        Product created = products.create(draft);
        pages.invalidate();
        events.publish(ProductEvent.TYPE, new ProductEvent(created.id(), "created"));
        return created;
    }

    public Product replace(long id, ProductDraft draft) {
        return changed(products.replace(id, draft), "updated");
    }

    public Product adjustStock(long id, int delta) {
        return changed(products.adjustStock(id, delta), "stock");
    }

    public void delete(long id) {
        products.delete(id);
        cache.remove(id);
        pages.invalidate();
        events.publish(ProductEvent.TYPE, new ProductEvent(id, "deleted"));
    }

    private Product changed(Product product, String change) {
        cache.put(product.id(), product);
        pages.invalidate();
        events.publish(ProductEvent.TYPE, new ProductEvent(product.id(), change));
        return product;
    }
}
