package dev.larder.kit.caching.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.kit.caching.control.CacheOperation.Kind;
import java.lang.reflect.Method;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;
import org.junit.jupiter.api.Test;

class CacheOperationsTest {

    @CacheDefaults(cacheName = "books")
    static class Books {
        @CacheResult
        public String find(long id) {
            return null;
        }

        @CacheResult(cacheName = "pages", skipGet = true)
        public String page(String category, @CacheKey int page, @CacheKey int size) {
            return null;
        }

        @CachePut(afterInvocation = false)
        public void put(long id, @CacheValue String book) {
        }

        @CacheRemove
        public void remove(@CacheKey long id, String reason) {
        }

        @CacheRemoveAll(cacheName = "pages")
        public void clear() {
        }

        @CacheResult
        @CacheRemove
        public String both(long id) {
            return null;
        }

        @CachePut
        public void putWithoutValue(long id) {
        }
    }

    static class NoDefaults {
        @CacheResult
        public String find(long id, String name) {
            return null;
        }
    }

    @Test
    void takesTheCacheNameFromTheAnnotationThenCacheDefaultsThenTheMethod() throws Exception {
        assertThat(operation(Books.class, "find", long.class).cacheName()).isEqualTo("books");
        assertThat(operation(Books.class, "page", String.class, int.class, int.class).cacheName()).isEqualTo("pages");
        assertThat(operation(NoDefaults.class, "find", long.class, String.class).cacheName())
                .isEqualTo(NoDefaults.class.getName() + ".find(long,java.lang.String)");
    }

    @Test
    void keysOnCacheKeyParametersElseOnAllButTheValue() throws Exception {
        assertThat(operation(Books.class, "find", long.class).keyIndexes()).containsExactly(0);
        assertThat(operation(Books.class, "page", String.class, int.class, int.class).keyIndexes()).containsExactly(1, 2);
        CacheOperation put = operation(Books.class, "put", long.class, String.class);
        assertThat(put.keyIndexes()).containsExactly(0);
        assertThat(put.valueIndex()).isEqualTo(1);
        assertThat(operation(Books.class, "remove", long.class, String.class).keyIndexes()).containsExactly(0);
    }

    @Test
    void readsKindAndTiming() throws Exception {
        assertThat(operation(Books.class, "page", String.class, int.class, int.class).skipGet()).isTrue();
        CacheOperation put = operation(Books.class, "put", long.class, String.class);
        assertThat(put.kind()).isEqualTo(Kind.PUT);
        assertThat(put.afterInvocation()).isFalse();
        assertThat(operation(Books.class, "clear").kind()).isEqualTo(Kind.REMOVE_ALL);
    }

    @Test
    void refusesAmbiguousOrIncompleteAnnotations() throws Exception {
        Method both = Books.class.getMethod("both", long.class);
        assertThatThrownBy(() -> CacheOperations.of(both)).hasMessageContaining("exactly one");
        Method noValue = Books.class.getMethod("putWithoutValue", long.class);
        assertThatThrownBy(() -> CacheOperations.of(noValue)).hasMessageContaining("@CacheValue");
    }

    @Test
    void buildsKeysFromTheKeyParameters() throws Exception {
        CacheOperation page = operation(Books.class, "page", String.class, int.class, int.class);
        assertThat(CacheKeys.of(page.keyParts(new Object[]{"tea", 2, 20}))).isEqualTo("2|20");
    }

    private static CacheOperation operation(Class<?> type, String name, Class<?>... params) throws Exception {
        return CacheOperations.of(type.getMethod(name, params));
    }
}
