package dev.larder.shop.catalog.entity;

/** A change to a product ({@code created}, {@code updated}, {@code stock}, {@code deleted}), in the event log. */
public record ProductEvent(long productId, String change) {

    public static final String TYPE = "product";
}
