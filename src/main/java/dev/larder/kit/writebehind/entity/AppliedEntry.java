package dev.larder.kit.writebehind.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;

/**
 * A stream entry whose delta is in the database, written in the transaction that applied it: the
 * primary key makes a redelivered or claimed entry count once, even when two instances apply it at once.
 */
@Entity
@IdClass(AppliedEntry.Key.class)
@Table(name = "larder_applied_entries", indexes = @Index(name = "larder_applied_entries_age", columnList = "stream, entryMillis"))
@NamedQuery(name = "AppliedEntry.among",
        query = "select a.entryId from AppliedEntry a where a.stream = :stream and a.entryId in :ids")
@NamedQuery(name = "AppliedEntry.before",
        query = "delete from AppliedEntry a where a.stream = :stream and a.entryMillis < :millis")
public class AppliedEntry {

    @Id
    @Column(length = 100)
    String stream;

    @Id
    @Column(length = 41)
    String entryId;

    /** The millisecond part of the entry id: entries older than the stream's oldest can be forgotten. */
    @Column(nullable = false)
    long entryMillis;

    @Column(nullable = false)
    long appliedAt;

    protected AppliedEntry() {
    }

    public AppliedEntry(String stream, String entryId, long appliedAt) {
        this.stream = stream;
        this.entryId = entryId;
        this.entryMillis = Long.parseLong(entryId.substring(0, entryId.indexOf('-')));
        this.appliedAt = appliedAt;
    }

    /** The composite key. */
    public static class Key implements Serializable {
        String stream;
        String entryId;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && k.stream.equals(stream) && k.entryId.equals(entryId);
        }

        @Override
        public int hashCode() {
            return stream.hashCode() * 31 + entryId.hashCode();
        }
    }
}
