package dev.larder.shop.catalog.control;

import dev.larder.kit.events.control.EventPublisher;
import dev.larder.kit.rest.boundary.IfMatch;
import dev.larder.shop.catalog.entity.Product;
import dev.larder.shop.catalog.entity.ProductDraft;
import dev.larder.shop.catalog.entity.InventoryEvent;
import dev.larder.shop.catalog.entity.ProductEvent;
import dev.larder.shop.catalog.entity.ProductPage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.util.Optional;

/**
 * The catalog's use cases. Each write commits in {@link Products}, where it also records the
 * invalidation of the product and the pages (the caches' outbox, carried out right after the commit),
 * then publishes a product event.
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
        events.publish(ProductEvent.TYPE, new ProductEvent(created.id(), "created"));
        return created;
    }

    public Product replace(long id, ProductDraft draft, Optional<IfMatch> precondition) {
        return changed(products.replace(id, draft, precondition), "updated");
    }

    public Product adjustStock(long id, int delta) {
        return changed(products.adjustStock(id, delta), "stock");
    }

    public void delete(long id) {
        products.delete(id);
        events.publish(ProductEvent.TYPE, new ProductEvent(id, "deleted"));
    }

    private Product changed(Product product, String change) {
        events.publish(ProductEvent.TYPE, new ProductEvent(product.id(), change));
        events.publish(InventoryEvent.TYPE, new InventoryEvent(product.id(), product.stock()));
        return product;
    }
}
