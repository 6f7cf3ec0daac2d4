/**
 * The product catalog: the shop's first user of the caching kit.
 *
 * <p>Decisions: reads are cache-aside ({@code products} by id, {@code product-pages} by category,
 * page and size). Every write commits to the database first, then writes the product through to
 * {@code products} (so the next read on any instance is a hit with the new value) or removes it,
 * and bumps the {@code product-pages} namespace version. A create does not populate the cache.
 * Duplicate skus are 409, also when two instances race (the unique key is flushed inside the
 * transaction). Ids are a database sequence, 50 per round trip. EclipseLink's shared cache is off:
 * Redis is the only cache.
 *
 * <p>Out of scope here: view counting (write-behind), inventory events, the cart and orders.
 */
package dev.larder.shop.catalog;
