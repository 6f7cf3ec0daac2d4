package dev.larder.kit.caching.control;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.util.ArrayList;
import java.util.List;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;
import org.junit.jupiter.api.Test;

/**
 * Weld, the CDI container inside Payara, booted bare: no server extension registers the JSR-107
 * annotations here (and cache-api 1.1.1 marks their members with {@code javax.enterprise.util.Nonbinding},
 * invisible to Jakarta CDI), so only {@link CachingExtension} can make them bind interceptors.
 */
class CachingExtensionTest {

    static final List<String> INTERCEPTED = new ArrayList<>();

    @Test
    void bindsEachJsr107AnnotationWhateverItsMembers() {
        INTERCEPTED.clear();
        try (SeContainer cdi = container()) {
            Pantry pantry = cdi.select(Pantry.class).get();

            assertThat(pantry.shelf("flour")).isEqualTo("flour");
            pantry.restock("flour", "rye flour");
            pantry.empty("flour");
            pantry.clear();
        }

        assertThat(INTERCEPTED).containsExactly("result:shelf", "put:restock", "remove:empty", "removeAll:clear");
    }

    @Test
    void aServerRegisteringTheSameBindingsChangesNothing() {
        INTERCEPTED.clear();
        try (SeContainer cdi = container(new ServerRegistration())) {
            Pantry pantry = cdi.select(Pantry.class).get();

            pantry.shelf("flour");
            pantry.restock("flour", "rye flour");
            pantry.empty("flour");
            pantry.clear();
        }

        assertThat(INTERCEPTED).containsExactly("result:shelf", "put:restock", "remove:empty", "removeAll:clear");
    }

    @Test
    void recordsTheCacheNamesOfAnnotatedBeans() {
        try (SeContainer cdi = container()) {
            assertThat(cdi.select(CachingExtension.class).get().cacheNames()).containsExactly("shelves");
        }
    }

    private static SeContainer container(Extension... serverExtensions) {
        return SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(serverExtensions)
                .addExtensions(new CachingExtension())
                .addBeanClasses(Pantry.class, ResultSpy.class, PutSpy.class, RemoveSpy.class, RemoveAllSpy.class)
                .initialize();
    }

    /** What Payara's own extension does at start: the four bindings, as plain classes. */
    public static class ServerRegistration implements Extension {
        void register(@Observes BeforeBeanDiscovery discovery) {
            CachingExtension.BINDINGS.forEach(discovery::addInterceptorBinding);
        }
    }

    @ApplicationScoped
    public static class Pantry {

        @CacheResult(cacheName = "shelves", skipGet = false)
        public String shelf(String name) {
            return name;
        }

        @CachePut(cacheName = "shelves", afterInvocation = false)
        public void restock(@CacheKey String name, @CacheValue String contents) {
        }

        @CacheRemove(cacheName = "shelves", cacheKeyGenerator = javax.cache.annotation.CacheKeyGenerator.class)
        public void empty(String name) {
        }

        @CacheRemoveAll(cacheName = "shelves")
        public void clear() {
        }
    }

    abstract static class Spy {
        private final String kind;

        Spy(String kind) {
            this.kind = kind;
        }

        @AroundInvoke
        Object record(InvocationContext call) throws Exception {
            INTERCEPTED.add(kind + ":" + call.getMethod().getName());
            return call.proceed();
        }
    }

    @CacheResult
    @Interceptor
    @Priority(Interceptor.Priority.APPLICATION)
    public static class ResultSpy extends Spy {
        public ResultSpy() {
            super("result");
        }
    }

    @CachePut
    @Interceptor
    @Priority(Interceptor.Priority.APPLICATION)
    public static class PutSpy extends Spy {
        public PutSpy() {
            super("put");
        }
    }

    @CacheRemove
    @Interceptor
    @Priority(Interceptor.Priority.APPLICATION)
    public static class RemoveSpy extends Spy {
        public RemoveSpy() {
            super("remove");
        }
    }

    @CacheRemoveAll
    @Interceptor
    @Priority(Interceptor.Priority.APPLICATION)
    public static class RemoveAllSpy extends Spy {
        public RemoveAllSpy() {
            super("removeAll");
        }
    }
}
