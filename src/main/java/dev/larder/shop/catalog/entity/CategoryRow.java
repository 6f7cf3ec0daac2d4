package dev.larder.shop.catalog.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The category table. Only the categories' cache writer changes it. */
@Entity
@Table(name = "category")
public class CategoryRow {

    @Id
    @Column(length = 64)
    String slug;

    @Column(nullable = false, length = 200)
    String name;

    @Column(length = 4000)
    String description;

    @Column(nullable = false)
    Instant updatedAt;

    protected CategoryRow() {
    }

    public CategoryRow(Category category) {
        this.slug = category.slug();
        apply(category);
    }

    public void apply(Category category) {
        this.name = category.name();
        this.description = category.description();
        this.updatedAt = category.updatedAt();
    }

    public Category toCategory() {
        return new Category(slug, name, description, updatedAt);
    }
}
