package example.adopter;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/** The adopting team's bean: plain JSR-107 annotations, nothing of the kit in sight. */
@ApplicationScoped
public class Pantry {

    static final String CACHE = "pantry-shelves";

    private final AtomicInteger loads = new AtomicInteger();

    @CacheResult(cacheName = CACHE)
    public Shelf shelf(String name) {
        loads.incrementAndGet();
        return new Shelf(name, 1);
    }

    @CachePut(cacheName = CACHE)
    public void restock(@CacheKey String name, @CacheValue Shelf shelf) {
        // the database write would go here; the interceptor writes the value to the cache
    }

    @CacheRemove(cacheName = CACHE)
    public void empty(String name) {
        // the database delete would go here; the interceptor removes the entry
    }

    /** How often {@link #shelf} ran its body. */
    public int loads() {
        return loads.get();
    }
}
