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
     * of every field a write sets, so that it changes whenever a write changes what a client sees, and
     * is the same on every instance and whether the product came from the cache or the database. Not
     * {@code viewCount}: it is a write-behind counter that grows without any write (and is shown with
     * the views not yet in the database), so an {@code If-Match} of a product being viewed would fail
     * for nothing; a conditional GET may thus answer 304 while only the count grew.
     */
    public String tag() {
        String fields = String.join("\u0000", String.valueOf(id), sku, name, String.valueOf(description),
                String.valueOf(priceCents), String.valueOf(stock), category, String.valueOf(updatedAt));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(fields.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
