package dev.larder.shop.catalog.entity;

import java.util.List;

/** One 0-based page of products, newest first. */
public record ProductPage(List<Product> items, int page, int size, long total) {
}
