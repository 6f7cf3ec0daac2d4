package dev.larder.kit.caching.control;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.enterprise.inject.spi.configurator.AnnotatedMethodConfigurator;
import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.Interceptor;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.logging.Logger;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;

/**
 * Makes the four JSR-107 method annotations interceptor bindings, and Larder's interceptors the only
 * JSR-107 interception in the application.
 *
 * <p>{@code javax.cache.annotation} does not depend on CDI: its annotations are no interceptor
 * bindings, and the {@code @Nonbinding} on their members in cache-api 1.1.1 is
 * {@code javax.enterprise.util.Nonbinding}, which a Jakarta CDI container does not see. So this
 * extension registers each as a binding with every member ({@code cacheName},
 * {@code cacheResolverFactory}, {@code cacheKeyGenerator}, {@code skipGet}, {@code afterInvocation},
 * {@code cachedExceptions}, ...) non-binding, and {@code @CacheResult(cacheName = "products")} on a
 * method matches the interceptor bound by a bare {@code @CacheResult}, whatever server runs the WAR.
 * Payara registers the same four bindings from its own extension (its repackaged API carries the
 * Jakarta {@code @Nonbinding}); a second registration of a binding only says again what the first
 * said (the members are non-binding either way), so both together still give one binding per
 * annotation and one interceptor per call.
 *
 * <p>Payara adds four interceptors of its own ({@code fish.payara.cdi.jsr107.*}) to every
 * application, bound to Hazelcast: left in place they would either cache a second time in Hazelcast or, under
 * {@code --nohazelcast}, sit in the chain doing nothing. Vetoing their types here leaves exactly one
 * interception per call, whatever flags the server started with. The same scan records the cache
 * names used in annotations, so that {@code GET /api/caches} lists every cache from the start.
 */
public class CachingExtension implements Extension {

    private static final Logger LOG = Logger.getLogger(CachingExtension.class.getName());
    static final String PAYARA_INTERCEPTORS = "fish.payara.cdi.jsr107.";

    static final List<Class<? extends Annotation>> BINDINGS = List.of(CacheResult.class, CachePut.class,
            CacheRemove.class, CacheRemoveAll.class);

    private final Set<String> cacheNames = new ConcurrentSkipListSet<>();

    void registerBindings(@Observes BeforeBeanDiscovery discovery) {
        for (Class<? extends Annotation> binding : BINDINGS) {
            discovery.configureInterceptorBinding(binding).methods().forEach(CachingExtension::nonbinding);
        }
    }

    private static void nonbinding(AnnotatedMethodConfigurator<?> member) {
        if (!member.getAnnotated().isAnnotationPresent(Nonbinding.class)) {
            member.add(Nonbinding.Literal.INSTANCE);
        }
    }

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
