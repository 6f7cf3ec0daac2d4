package dev.larder.kit.caching.control;

import java.util.Optional;
import java.util.concurrent.Callable;
import javax.cache.Cache;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;

/**
 * A cache used through JSR-107's integration interfaces instead of annotations: reads go through a
 * {@link CacheLoader} (read-through), and, if one is given, writes and deletes go through a
 * {@link CacheWriter} to the system of record first (write-through at the JCache level). It is the
 * same {@link NamedCache} as the annotation path, so it has the same single-flight loads across
 * instances, early refresh, near cache, breaker and outbox. A write or delete through the writer
 * invalidates the entry (it does not store the value): two writers on two instances could otherwise
 * land in Redis in the opposite order of their writes to the system of record.
 *
 * <p>When to choose which: annotations ({@code @CacheResult} and friends) when the cached method is
 * the natural seam; a loader when the cache is the seam (a lookup by key, used from several places);
 * a writer only when every write of that data goes through the cache (otherwise invalidate through
 * the outbox from the transaction that changes it, as the catalog does).
 *
 * @param <K> the key: a simple value (string, number, enum) or a list of them, as for annotated keys
 */
public final class ReadThrough<K, V> {

    private final NamedCache cache;
    private final CacheEngine engine;
    private final CacheLoader<K, V> loader;
    private final Optional<CacheWriter<K, V>> writer;
    private final CacheOperation operation;

    ReadThrough(NamedCache cache, CacheEngine engine, CacheLoader<K, V> loader, Optional<CacheWriter<K, V>> writer) {
        this.cache = cache;
        this.engine = engine;
        this.loader = loader;
        this.writer = writer;
        this.operation = new CacheOperation(CacheOperation.Kind.RESULT, cache.name(), new int[]{0}, -1, true, false);
    }

    /** The value of {@code key}: cached, or loaded once across instances; null (not cached) if the loader has none. */
    @SuppressWarnings("unchecked")
    public V get(K key) {
        Callable<Object> load = () -> loader.load(key);
        try {
            return (V) engine.result(cache, operation, cache.field(CacheKeys.of(key)), load);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CacheLoaderException(e);
        }
    }

    /** Writes through the writer, then invalidates the entry on every instance. */
    public void put(K key, V value) {
        requireWriter().write(new Entry<>(key, value));
        invalidate(key);
    }

    /** Deletes through the writer, then invalidates the entry on every instance. */
    public void remove(K key) {
        requireWriter().delete(key);
        invalidate(key);
    }

    /** On every instance, now; or through the outbox once Redis answers. */
    private void invalidate(K key) {
        String text = CacheKeys.of(key);
        engine.retryLater(cache, cache.removeKey(text), text);
    }

    public String name() {
        return cache.name();
    }

    private CacheWriter<K, V> requireWriter() {
        return writer.orElseThrow(() -> new UnsupportedOperationException("cache " + cache.name() + " has no CacheWriter"));
    }

    private record Entry<K, V>(K getKey, V getValue) implements Cache.Entry<K, V> {
        @Override
        public <T> T unwrap(Class<T> type) {
            throw new IllegalArgumentException("nothing to unwrap");
        }
    }
}
