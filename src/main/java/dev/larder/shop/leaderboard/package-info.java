/**
 * Best sellers: units sold per product, ranked, from a Redis sorted set fed by every order.
 *
 * <p>Decisions: the database's orders are the truth and the sorted set is derived from them. Each
 * committed order is counted once: one Lua script adds its units only if the order's marker key was
 * not set yet (a retry or a sweep never counts twice), and only while the set is known complete (its
 * sentinel key exists). When Redis lost the set (a restart without persistence, an expiry), the next
 * reader rebuilds it from every order under a 30 s lease, marking the orders it counted, and counting
 * resumes. The rebuild reads the units sold and the orders still to count in one statement (one
 * snapshot): an order committing meanwhile is in both or in neither, never summed without being
 * marked (the sweep would count it twice). Orders whose count did not reach Redis after their commit
 * (Redis unavailable, the instance died) are swept every 2 s. With Redis unavailable, and while
 * another instance holds the rebuild's lease (the set is missing or partial), reads are computed from
 * the database. A deleted product leaves the ranking when it is next read (and is never rebuilt into it).
 *
 * <p>Keys (one hash tag, one slot on a cluster): {@code larder:{best-sellers}} (sorted set),
 * {@code larder:{best-sellers}:complete} (sentinel), {@code larder:{best-sellers}:counted:<order>}
 * (markers), all expiring 7 days after the last order; {@code larder:{best-sellers}:rebuilding} (the
 * rebuild's lease, 30 s) and {@code larder:{best-sellers}:rebuild} (the set being rebuilt, renamed
 * over the live one by the same script, so it never outlives it). Column {@code orders.countedAt}.
 */
package dev.larder.shop.leaderboard;
