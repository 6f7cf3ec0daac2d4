/**
 * Orders: checkout of the session's cart, and the session's orders.
 *
 * <p>Decisions: one database transaction per checkout locks the products' rows in id order (two
 * checkouts on any instances never deadlock and never both sell the last unit), checks every line's
 * stock (409 naming every product short of it), decrements it, takes the prices from the database
 * (never from a cached copy) and invalidates the products and pages through the caches' outbox in
 * the same transaction. The cart is emptied after the commit; inventory events go out then. An order
 * belongs to a random owner token kept in the session (session ids rotate), so another session gets
 * 404. The token is minted with the session's first cart line, never by a checkout: concurrent
 * checkouts of one session (a client retrying its first checkout while it still runs) all see the
 * same token, so the key scopes them together. {@code Idempotency-Key} (unique per owner in the
 * table) makes a retry, even a concurrent one, return the first order with
 * {@code Idempotent-Replayed: true}: a concurrent retry waits for the first one's row locks and then
 * finds its order, or, if its cart changed and it locked other rows, loses at the unique index and
 * replays. Orders never change once placed, so
 * the lookup is a read-through cache ({@code orders}: a JCache {@code CacheLoader} over the table,
 * with a near tier).
 *
 * <p>Keys: {@code larder:cache:orders} (the read-through cache; TTL {@code larder.caching.orders.ttl},
 * 10 minutes). Tables: {@code orders}, {@code order_line}.
 */
package dev.larder.shop.orders;
