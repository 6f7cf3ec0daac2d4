package dev.larder.kit.caching.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * One cache invalidation recorded in the same database transaction as the change that needs it (the
 * transactional outbox), until some instance has carried it out in Redis.
 */
@Entity
@Table(name = "larder_cache_outbox")
@NamedQuery(name = "PendingInvalidation.due",
        query = "select p from PendingInvalidation p where p.createdAtMillis <= :before order by p.id")
@NamedQuery(name = "PendingInvalidation.delete", query = "delete from PendingInvalidation p where p.id in :ids")
public class PendingInvalidation {

    @Id
    @SequenceGenerator(name = "larder_cache_outbox_ids", sequenceName = "larder_cache_outbox_ids", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "larder_cache_outbox_ids")
    Long id;

    @Column(nullable = false, length = 200)
    String cacheName;

    /** The entry's key as {@code CacheKeys} writes it; null for the whole cache. */
    @Column(length = 2000)
    String cacheKey;

    @Column(nullable = false)
    long createdAtMillis;

    protected PendingInvalidation() {
    }

    public PendingInvalidation(String cacheName, String cacheKey, long createdAtMillis) {
        this.cacheName = cacheName;
        this.cacheKey = cacheKey;
        this.createdAtMillis = createdAtMillis;
    }

    public Long id() {
        return id;
    }

    public String cacheName() {
        return cacheName;
    }

    /** Null when the whole cache is to be invalidated. */
    public String cacheKey() {
        return cacheKey;
    }
}
