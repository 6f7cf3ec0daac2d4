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
 * cache. Reads carry a strong {@code ETag} (a hash of every field a write sets, the same from cache or
 * database; not {@code viewCount}, which grows without writes); {@code PUT} with {@code If-Match} answers 412 and changes nothing when the tag is stale.
 * Duplicate skus are 409, also when two instances race (the unique key is flushed inside the
 * transaction; only a unique-key violation, SQLSTATE 23505, is a conflict). Ids are a database sequence, 50 per round trip. EclipseLink's shared cache is off:
 * Redis is the only cache.
 *
 * <p>Views are written behind ({@code POST /api/products/{id}/views}, the kit's write-behind log
 * {@code views}): 202 once the view is in Redis, 404 for an unknown product (the cached find), 503
 * problem+json when Redis is unavailable. Anonymous, in a resource of its own, so the access rules
 * of product writes stay off it. The flushers add the counts with one {@code UPDATE} per product, in
 * id order (the order every writer locks rows in), and invalidate each changed product through the
 * outbox in the same transaction, so no cache keeps an older database count than the last flush.
 * Pages are not invalidated by flushes (that would empty the page cache at every flush under load):
 * a page's {@code viewCount} is the database count as of its load, up to the page TTL old.
 *
 * <p>{@code viewCount} of {@code GET /api/products/{id}} is the larger of the (cached) database count
 * and the log's total for the product: a total starts at the database count the first view found
 * and grows by one at every accepted view, in the same script as the stream entry. It never
 * decreases, it is one value in Redis for every instance, and the database (which only ever adds
 * accepted views) stays at or below it; so the shown count is the total: every accepted view at
 * once, the same on every instance, never going backwards, with no window between a flush's commit, its cache
 * invalidation and its acknowledgement (the design "cached count + pending, decremented at the ack"
 * has one in either order: invalidate first and a reader sees the flushed views twice, decrement
 * first and it sees them nowhere). Limits: the total is one more Redis read per product GET (asked
 * for before the product's cache lookup when the product is not near, so that on a miss its round
 * trip overlaps the lookup; after the near copy when it is, since the response tier may keep that
 * answer until a later view drops the copy); while
 * Redis is unavailable the database count is shown (lower, until Redis is back; no view is accepted
 * meanwhile); if Redis loses the totals (a restart without persistence) it shows the database count,
 * which lacks only the views Redis lost with the stream; a total seeded from a stale cached count
 * (the first view after 7 quiet days, during the ~100 ms an invalidation takes) undercounts until
 * the flush, and never overcounts.
 *
 * <p>Categories ({@code /api/categories/{slug}}: the name and description of a category products
 * name; table {@code category}) are the JCache integration interfaces at work: read through a
 * {@code CacheLoader} and written through a {@code CacheWriter} ({@code categories} cache, near tier,
 * TTL 10 minutes). A write commits through the writer, then the entry is invalidated on every
 * instance (not stored, for the reason above); write-through fits because every write of the table
 * goes through the cache. Two instances creating one slug at once: the second insert fails on the
 * key and is retried as an update (last writer wins). Products do not check that their category is
 * described.
 *
 * <p>Out of scope here: inventory events, the cart and orders.
 */
package dev.larder.shop.catalog;
