package dev.larder.kit.caching.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CacheKeysTest {

    enum Size { SMALL }

    @Test
    void writesSimpleKeysReadably() {
        assertThat(CacheKeys.of(42L)).isEqualTo("42");
        assertThat(CacheKeys.of("books", 0, 20)).isEqualTo("books|0|20");
        assertThat(CacheKeys.of(Size.SMALL, true, 'x')).isEqualTo("SMALL|true|x");
    }

    @Test
    void keepsDistinctArgumentListsDistinct() {
        List<String> keys = Stream.of(
                        new Object[]{"a|b"}, new Object[]{"a", "b"}, new Object[]{null}, new Object[]{"\\0"},
                        new Object[]{"a\\", "b"}, new Object[]{"a", "\\b"}, new Object[]{List.of("a", "b")},
                        new Object[]{List.of("a,b")}, new Object[]{}, new Object[]{""})
                .map(CacheKeys::of)
                .toList();
        assertThat(keys).doesNotHaveDuplicates();
    }

    @Test
    void refusesObjectsWithoutAStableTextForm() {
        assertThatThrownBy(() -> CacheKeys.of(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }
}
