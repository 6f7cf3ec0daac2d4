package dev.larder.shop.leaderboard.control;

import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.shop.catalog.control.Catalog;
import dev.larder.shop.leaderboard.entity.Ranked;
import dev.larder.shop.orders.entity.Order;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.ScoredEntry;

/**
 * Best sellers in a Redis sorted set ({@code larder:{best-sellers}}: product id scored by units sold),
 * fed after each order's commit, once per order: one Lua script adds the order's units only if the
 * order's marker ({@code larder:{best-sellers}:counted:<order>}) was not set yet, so a retried or
 * relayed count never counts twice. The set is trusted only while its sentinel
 * ({@code larder:{best-sellers}:complete}) exists: when Redis lost it (a restart, an expiry), the
 * next reader rebuilds it from the orders in the database under a lease, and counting waits for
 * that. A deleted product leaves the ranking when it is next read. All keys share one hash tag
 * (one slot on a cluster) and expire {@value #KEEP_DAYS} days after the last order.
 */
@ApplicationScoped
public class BestSellers {

    private static final Logger LOG = Logger.getLogger(BestSellers.class.getName());
    static final String SET = "larder:{best-sellers}";
    static final String COMPLETE = SET + ":complete";
    static final String COUNTED = SET + ":counted:";
    static final String REBUILDING = SET + ":rebuilding";
    static final String TEMPORARY = SET + ":rebuild";
    static final long KEEP_DAYS = 7;
    private static final Integer UNAVAILABLE = -1;
    static final Duration SWEEP = Duration.ofSeconds(2);
    static final long KEEP_SECONDS = Duration.ofDays(KEEP_DAYS).toSeconds();

    private static final String COUNT = """
            if redis.call('EXISTS', KEYS[2]) == 0 then
              return -1
            end
            if not redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[1]) then
              return 0
            end
            for i = 2, #ARGV, 2 do
              redis.call('ZINCRBY', KEYS[1], ARGV[i + 1], ARGV[i])
            end
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('EXPIRE', KEYS[2], ARGV[1])
            return 1
            """;

    private static final String REBUILD = """
            redis.call('DEL', KEYS[3])
            for i = 2, #ARGV, 2 do
              redis.call('ZADD', KEYS[3], ARGV[i + 1], ARGV[i])
            end
            if redis.call('EXISTS', KEYS[3]) == 1 then
              redis.call('RENAME', KEYS[3], KEYS[1])
              redis.call('EXPIRE', KEYS[1], ARGV[1])
            else
              redis.call('DEL', KEYS[1])
            end
            redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
            for i = 5, #KEYS do
              redis.call('SET', KEYS[i], '1', 'EX', ARGV[1])
            end
            redis.call('DEL', KEYS[4])
            return 1
            """;

    @Inject
    RedissonClient redisson;

    @Inject
    RedisBreaker breaker;

    @Inject
    Sales sales;

    @Inject
    Catalog catalog;

    @jakarta.annotation.Resource
    jakarta.enterprise.concurrent.ManagedScheduledExecutorService scheduler;

    /** Every few seconds: orders whose count did not reach Redis after their commit (Redis was unavailable, or the instance died). */
    void start(@jakarta.enterprise.event.Observes @jakarta.enterprise.context.Initialized(ApplicationScoped.class) Object deployed) {
        scheduler.scheduleWithFixedDelay(this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void sweep() {
        if (!breaker.closed()) {
            return;
        }
        try {
            sales.uncounted(java.time.Instant.now().minus(SWEEP), 100).forEach(order -> count(order.toOrder()));
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "Could not count orders left out of the best sellers; retrying", e);
        }
    }

    /** Adds a committed order's units, once; true if the order is now counted (or was before). */
    public boolean count(Order order) {
        List<Object> args = new ArrayList<>(List.of(String.valueOf(KEEP_SECONDS)));
        order.items().forEach(i -> {
            args.add(String.valueOf(i.productId()));
            args.add(String.valueOf(i.quantity()));
        });
        Long answer = breaker.callAsync("count an order in the best sellers", () -> redisson.getScript(StringCodec.INSTANCE)
                .<Long>evalAsync(SET, RScript.Mode.READ_WRITE, COUNT, RScript.ReturnType.LONG,
                        List.of(SET, COMPLETE, COUNTED + order.id()), args.toArray()), null);
        if (answer == null) {
            return false; // Redis unavailable: the sweep counts it later
        }
        if (answer == -1L) {
            return rebuild(); // the set is not complete: a rebuild counts this order with all the others
        }
        sales.markCounted(List.of(order.id()));
        return true;
    }

    /** The top {@code limit}; from the database when Redis is unavailable or another instance is rebuilding the set. */
    public List<Ranked> top(int limit) {
        if (!complete()) {
            return ranked(fromDatabase(), limit);
        }
        List<ScoredEntry<String>> entries = breaker.callAsync("read the best sellers", () -> redisson.<String>getScoredSortedSet(SET,
                StringCodec.INSTANCE).entryRangeReversedAsync(0, limit + 9).thenApply(c -> (List<ScoredEntry<String>>) new ArrayList<>(c)), null);
        return ranked(entries == null ? fromDatabase() : entries, limit);
    }

    /** One product's place; 404 if it does not exist or sold nothing. */
    public Ranked rank(long productId) {
        String name = catalog.find(productId).name();
        if (complete()) {
            var set = redisson.<String>getScoredSortedSet(SET, StringCodec.INSTANCE);
            Integer index = breaker.callAsync("rank a best seller", () -> set.revRankAsync(String.valueOf(productId)), UNAVAILABLE);
            if (index == null) {
                throw new NotFoundException("Product " + productId + " has no sales yet");
            }
            Double score = index == UNAVAILABLE ? null
                    : breaker.callAsync("score a best seller", () -> set.getScoreAsync(String.valueOf(productId)), null);
            if (score != null) {
                return new Ranked(index + 1, productId, name, Math.round(score));
            }
        }
        List<ScoredEntry<String>> all = fromDatabase(); // Redis unavailable, or the set is being rebuilt elsewhere
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).getValue().equals(String.valueOf(productId))) {
                return new Ranked(i + 1, productId, name, Math.round(all.get(i).getScore()));
            }
        }
        throw new NotFoundException("Product " + productId + " has no sales yet");
    }

    private List<ScoredEntry<String>> fromDatabase() {
        return sales.unitsByProduct().entrySet().stream()
                .sorted(Map.Entry.<Long, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> new ScoredEntry<>(e.getValue().doubleValue(), String.valueOf(e.getKey()))).toList();
    }

    /**
     * Whether the set can be read: its sentinel is there, or this call rebuilt it. False while another
     * instance holds the rebuild's lease (the set is missing or partial meanwhile) and when Redis is
     * unavailable: readers then compute from the database.
     */
    boolean complete() {
        Long complete = breaker.callAsync("check the best sellers", () -> redisson.getKeys().countExistsAsync(COMPLETE), null);
        return complete != null && (complete == 1L || rebuild());
    }

    /** Recomputes the set from every order, under a lease so that one instance does it; true if done. */
    boolean rebuild() {
        Boolean leased = breaker.callAsync("lease the best-seller rebuild", () -> redisson.<String>getBucket(REBUILDING, StringCodec.INSTANCE)
                .setIfAbsentAsync("1", Duration.ofSeconds(30)), null);
        if (!Boolean.TRUE.equals(leased)) {
            return false;
        }
        Sales.Snapshot snapshot = sales.snapshotForRebuild();
        List<Object> keys = new ArrayList<>(List.of(SET, COMPLETE, TEMPORARY, REBUILDING));
        snapshot.newlyCounted().forEach(id -> keys.add(COUNTED + id));
        List<Object> args = new ArrayList<>(List.of(String.valueOf(KEEP_SECONDS)));
        snapshot.unitsByProduct().forEach((product, units) -> {
            args.add(String.valueOf(product));
            args.add(String.valueOf(units));
        });
        Long done = breaker.callAsync("rebuild the best sellers", () -> redisson.getScript(StringCodec.INSTANCE)
                .<Long>evalAsync(SET, RScript.Mode.READ_WRITE, REBUILD, RScript.ReturnType.LONG, keys, args.toArray()), null);
        LOG.info(() -> "Best sellers rebuilt from the database: " + snapshot.unitsByProduct().size() + " products"
                + (done == null ? " (Redis unavailable: not stored)" : ""));
        return done != null;
    }

    private List<Ranked> ranked(List<ScoredEntry<String>> entries, int limit) {
        List<Ranked> ranked = new ArrayList<>();
        for (ScoredEntry<String> entry : entries) {
            if (ranked.size() == limit) {
                break;
            }
            long productId = Long.parseLong(entry.getValue());
            Optional<String> name = name(productId);
            if (name.isEmpty()) {
                breaker.callAsync("drop a deleted product from the best sellers", () -> redisson.getScoredSortedSet(SET, StringCodec.INSTANCE)
                        .removeAsync(entry.getValue()), false);
                continue;
            }
            ranked.add(new Ranked(ranked.size() + 1, productId, name.get(), Math.round(entry.getScore())));
        }
        return ranked;
    }

    private Optional<String> name(long productId) {
        try {
            return Optional.of(catalog.find(productId).name());
        } catch (NotFoundException deleted) {
            return Optional.empty();
        }
    }
}
