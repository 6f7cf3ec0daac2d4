package dev.larder.kit.sessions.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisSessionTest {

    static final SessionSettings SETTINGS = new SessionSettings(Duration.ofMinutes(5), "S", false, true, "Lax", 100);

    @Test
    void collectsOnlyWhatChanged() {
        RedisSession session = new RedisSession("id", false, Map.of("a", "x", "b", "y", SessionStore.CREATED, 5L),
                SETTINGS, null, () -> { });

        session.setAttribute("a", "z");
        session.removeAttribute("b");

        assertThat(session.changed()).containsOnlyKeys("a");
        assertThat(session.removed()).containsOnly("b");
        assertThat(session.getCreationTime()).isEqualTo(5L);
        assertThat(session.isNew()).isFalse();
    }

    @Test
    void refusesAChangeThatWouldOutgrowTheLimitAndKeepsTheOldValue() {
        RedisSession session = new RedisSession("id", true, Map.of(), SETTINGS, null, () -> { });
        session.setAttribute("small", "x".repeat(40));

        assertThatThrownBy(() -> session.setAttribute("big", "y".repeat(70)))
                .isInstanceOf(SessionTooLargeException.class)
                .hasMessageContaining("at most 100");
        assertThat(session.getAttribute("big")).isNull();
        assertThat(session.changed()).containsKeys("small", SessionStore.CREATED).doesNotContainKey("big");
    }

    @Test
    void anInvalidatedSessionCannotBeUsed() {
        boolean[] deleted = {false};
        RedisSession session = new RedisSession("id", false, Map.of(), SETTINGS, null, () -> deleted[0] = true);

        session.invalidate();

        assertThat(deleted[0]).isTrue();
        assertThatThrownBy(() -> session.getAttribute("a")).isInstanceOf(IllegalStateException.class);
    }
}
