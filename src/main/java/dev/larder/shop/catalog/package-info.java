/**
 * The product catalog: the shop's first user of the caching kit.
 *
 * <p>Decisions: reads are cache-aside ({@code products} by id, {@code product-pages} by category,
 * page and size). Every write locks its row ({@code SELECT ... FOR UPDATE}), so concurrent writers of
 * one product on any instance take turns (last writer wins; never a false 409), and invalidates
 * {@code products} for that id and every {@code product-pages} page in the same transaction (the
 * kit's outbox), carried out right after the commit: the next read loads the committed row once,
 * through a fenced lease. Invalidation rather than write-through, because two write-throughs from two
 * instances can reach Redis in the opposite order of their commits. A create does not populate the
 * cache. Reads carry a strong {@code ETag} (a hash of the representation, the same from cache or
 * database); {@code PUT} with {@code If-Match} answers 412 and changes nothing when the tag is stale.
 * Duplicate skus are 409, also when two instances race (the unique key is flushed inside the
 * transaction; only a unique-key violation, SQLSTATE 23505, is a conflict). Ids are a database sequence, 50 per round trip. EclipseLink's shared cache is off:
 * Redis is the only cache.
 *
 * <p>Out of scope here: view counting (write-behind), inventory events, the cart and orders.
 */
package dev.larder.shop.catalog;
