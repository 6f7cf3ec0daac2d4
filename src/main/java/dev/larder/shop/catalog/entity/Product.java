package dev.larder.shop.catalog.entity;

import java.time.Instant;

/** A product as the API shows it and as the cache stores it. Money is integer cents. */
public record Product(long id, String sku, String name, String description, long priceCents, int stock,
                      String category, long viewCount, Instant updatedAt) {
}
