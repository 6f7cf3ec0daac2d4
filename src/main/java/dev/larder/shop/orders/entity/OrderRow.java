package dev.larder.shop.orders.entity;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A placed order. {@code owner} is the random token the placing session keeps (not the session id,
 * which rotates); {@code idempotencyKey} the client's {@code Idempotency-Key}, unique per owner.
 * {@code countedAt} says when its units reached the best-seller ranking in Redis.
 */
@Entity
@Table(name = "orders", uniqueConstraints = @UniqueConstraint(name = "orders_owner_key", columnNames = {"owner", "idempotencyKey"}))
@NamedQuery(name = "OrderRow.byKey", query = "select o from OrderRow o where o.owner = :owner and o.idempotencyKey = :key")
@NamedQuery(name = "OrderRow.uncounted", query = "select o from OrderRow o where o.countedAt is null and o.createdAt < :before order by o.id")
@NamedQuery(name = "OrderRow.count", query = "update OrderRow o set o.countedAt = :now where o.id in :ids and o.countedAt is null")
public class OrderRow {

    @Id
    @SequenceGenerator(name = "order_ids", sequenceName = "order_ids", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "order_ids")
    Long id;

    @Column(nullable = false, length = 64)
    String owner;

    @Column(length = 64)
    String idempotencyKey;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "order_line", joinColumns = @JoinColumn(name = "order_id"))
    List<OrderLineRow> lines = new ArrayList<>();

    @Column(nullable = false)
    Instant createdAt;

    Instant countedAt;

    protected OrderRow() {
    }

    public OrderRow(String owner, String idempotencyKey, List<OrderLineRow> lines, Instant createdAt) {
        this.owner = owner;
        this.idempotencyKey = idempotencyKey;
        this.lines = new ArrayList<>(lines);
        this.createdAt = createdAt;
    }

    public long id() {
        return id;
    }

    public String owner() {
        return owner;
    }

    public Order toOrder() {
        List<Order.Item> items = lines.stream().map(OrderLineRow::toItem).toList();
        return new Order(id, items, items.stream().mapToLong(i -> i.priceCents() * i.quantity()).sum(), createdAt);
    }
}
