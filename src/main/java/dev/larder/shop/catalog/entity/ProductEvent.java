package dev.larder.shop.catalog.entity;

/** A change to a product, published on {@code larder:events:product}. */
public record ProductEvent(long productId, String change) {

    public static final String TYPE = "product";
}
