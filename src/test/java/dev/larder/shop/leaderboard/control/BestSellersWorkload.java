package dev.larder.shop.leaderboard.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.shop.catalog.control.Catalog;
import dev.larder.shop.catalog.entity.Product;
import dev.larder.shop.leaderboard.entity.Ranked;
import dev.larder.shop.orders.entity.Order;
import dev.larder.shop.orders.entity.OrderRow;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.redisson.api.RedissonClient;

/**
 * Every kind of Redis call of the best sellers, once each and checked, with the database stood in
 * for by a fixed set of orders: the rebuild under its lease, counting an order once, the top list
 * and one product's rank. For tests that prove a Redis deployment lets
 * the shop work.
 */
public final class BestSellersWorkload {

    private BestSellersWorkload() {
    }

    public static void run(RedissonClient redisson, RedisBreaker breaker) {
        BestSellers bestSellers = new BestSellers();
        bestSellers.redisson = redisson;
        bestSellers.breaker = breaker;
        bestSellers.sales = new Sales() {
            @Override
            public Snapshot snapshotForRebuild() {
                return new Snapshot(Map.of(1L, 5L, 2L, 3L, 3L, 1L), List.of(100L));
            }

            @Override
            public Map<Long, Long> unitsByProduct() {
                return Map.of(1L, 5L, 2L, 3L, 3L, 1L);
            }

            @Override
            public List<OrderRow> uncounted(Instant before, int limit) {
                return List.of();
            }

            @Override
            public void markCounted(Collection<Long> orderIds) {
            }
        };
        bestSellers.catalog = new Catalog() {
            @Override
            public Product find(long id) {
                return new Product(id, "sku-" + id, "product " + id, "", 100, 1, "c", 0, Instant.EPOCH);
            }
        };

        assertThat(bestSellers.count(order(100L, 1L, 5))).as("rebuilt from the orders, this one with them").isTrue();
        assertThat(bestSellers.count(order(101L, 2L, 4))).isTrue();
        assertThat(bestSellers.count(order(101L, 2L, 4))).as("counted once").isTrue();

        assertThat(bestSellers.top(10)).extracting(Ranked::productId, Ranked::unitsSold)
                .containsExactly(tuple(2L, 7L), tuple(1L, 5L), tuple(3L, 1L));
        assertThat(bestSellers.rank(1L).rank()).isEqualTo(2);
        assertThat(breaker.commandErrors()).as("commands Redis refused").isZero();
    }

    private static Order order(long id, long productId, int quantity) {
        return new Order(id, List.of(new Order.Item(productId, quantity, 100)), 100L * quantity, Instant.now());
    }
}
