package dev.larder.kit.caching.control;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.interceptor.Interceptor;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.logging.Logger;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;

/**
 * Makes Larder's interceptors the only JSR-107 interception in the application. Payara adds four
 * interceptors of its own ({@code fish.payara.cdi.jsr107.*}) to every application, bound to
 * Hazelcast: left in place they would either cache a second time in Hazelcast or, under
 * {@code --nohazelcast}, sit in the chain doing nothing. Vetoing their types here leaves exactly one
 * interception per call, whatever flags the server started with. The same scan records the cache
 * names used in annotations, so that {@code GET /api/caches} lists every cache from the start.
 */
public class CachingExtension implements Extension {

    private static final Logger LOG = Logger.getLogger(CachingExtension.class.getName());
    static final String PAYARA_INTERCEPTORS = "fish.payara.cdi.jsr107.";

    private final Set<String> cacheNames = new ConcurrentSkipListSet<>();

    void vetoPayaraInterceptors(@Observes ProcessAnnotatedType<?> type) {
        if (type.getAnnotatedType().getJavaClass().getName().startsWith(PAYARA_INTERCEPTORS)) {
            LOG.fine(() -> "Vetoing " + type.getAnnotatedType().getJavaClass().getName());
            type.veto();
        }
    }

    void recordCacheNames(@Observes @WithAnnotations({CacheResult.class, CachePut.class, CacheRemove.class,
            CacheRemoveAll.class}) ProcessAnnotatedType<?> type) {
        if (type.getAnnotatedType().isAnnotationPresent(Interceptor.class)) {
            return;
        }
        for (AnnotatedMethod<?> method : type.getAnnotatedType().getMethods()) {
            if (CacheOperations.isCached(method.getJavaMember())) {
                cacheNames.add(CacheOperations.of(method.getJavaMember()).cacheName());
            }
        }
    }

    public Set<String> cacheNames() {
        return Set.copyOf(cacheNames);
    }
}
