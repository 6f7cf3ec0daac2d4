package dev.larder.shop.catalog.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** The product table. Only the catalog's store touches it; everything else sees {@link Product}. */
@Entity
@Table(name = "product", indexes = @Index(name = "product_category_created", columnList = "category, createdAt"))
@NamedQuery(name = "ProductRow.page", query = "select p from ProductRow p order by p.createdAt desc, p.id desc")
@NamedQuery(name = "ProductRow.pageInCategory",
        query = "select p from ProductRow p where p.category = :category order by p.createdAt desc, p.id desc")
@NamedQuery(name = "ProductRow.count", query = "select count(p) from ProductRow p")
@NamedQuery(name = "ProductRow.countInCategory", query = "select count(p) from ProductRow p where p.category = :category")
@NamedQuery(name = "ProductRow.bySku", query = "select p from ProductRow p where p.sku = :sku")
public class ProductRow {

    /** A sequence (not IDENTITY): EclipseLink's IDENTITY DDL does not parse on H2 2.x, and 50 ids per round trip. */
    @Id
    @SequenceGenerator(name = "product_ids", sequenceName = "product_ids", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "product_ids")
    Long id;

    @Column(nullable = false, unique = true, length = 64)
    String sku;

    @Column(nullable = false, length = 200)
    String name;

    @Column(length = 4000)
    String description;

    @Column(nullable = false)
    long priceCents;

    @Column(nullable = false)
    int stock;

    @Column(nullable = false, length = 64)
    String category;

    @Column(nullable = false)
    long viewCount;

    @Column(nullable = false)
    Instant createdAt;

    @Column(nullable = false)
    Instant updatedAt;

    @Version
    long version;

    protected ProductRow() {
    }

    public ProductRow(ProductDraft draft, Instant now) {
        this.createdAt = now;
        apply(draft, now);
    }

    public void apply(ProductDraft draft, Instant now) {
        sku = draft.sku();
        name = draft.name();
        description = draft.description();
        priceCents = draft.priceCents();
        stock = draft.stock();
        category = draft.category();
        updatedAt = now;
    }

    /** Adds {@code delta} to the stock; false, changing nothing, if that would go below zero. */
    public boolean adjustStock(int delta, Instant now) {
        long next = (long) stock + delta;
        if (next < 0 || next > Integer.MAX_VALUE) {
            return false;
        }
        stock = (int) next;
        updatedAt = now;
        return true;
    }

    public String sku() {
        return sku;
    }

    public Product toProduct() {
        return new Product(id, sku, name, description, priceCents, stock, category, viewCount, updatedAt);
    }
}
