package dev.larder.shop.catalog.entity;

/** A product's stock after a change, for live inventory displays. */
public record InventoryEvent(long productId, int stock) {

    public static final String TYPE = "inventory";
}
