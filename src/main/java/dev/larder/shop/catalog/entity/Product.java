package dev.larder.shop.catalog.entity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** A product as the API shows it and as the cache stores it. Money is integer cents. */
public record Product(long id, String sku, String name, String description, long priceCents, int stock,
                      String category, long viewCount, Instant updatedAt) {

    /**
     * A strong validator of this representation (the HTTP {@code ETag} value, without quotes): a hash
     * of every field, so that it changes whenever anything a client sees changes, and is the same on
     * every instance and whether the product came from the cache or the database.
     */
    public String tag() {
        String fields = String.join("\u0000", String.valueOf(id), sku, name, String.valueOf(description),
                String.valueOf(priceCents), String.valueOf(stock), category, String.valueOf(viewCount), String.valueOf(updatedAt));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(fields.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
