package dev.larder.shop.catalog.entity;

import java.time.Instant;

/** A category as the API shows it and as the {@code categories} cache stores it: its slug (what products name), a name and a description. */
public record Category(String slug, String name, String description, Instant updatedAt) {
}
