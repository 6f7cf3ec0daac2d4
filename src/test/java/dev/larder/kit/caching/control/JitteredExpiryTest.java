package dev.larder.kit.caching.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JitteredExpiryTest {

    @Test
    void spreadsExpiriesAroundTheTtl() {
        JitteredExpiry expiry = new JitteredExpiry(Duration.ofSeconds(100), 0.1);
        Set<Long> millis = IntStream.range(0, 1000).mapToObj(i -> expiry.getExpiryForCreation().getDurationAmount())
                .collect(Collectors.toSet());
        assertThat(millis).allSatisfy(m -> assertThat(m).isBetween(90_000L, 110_000L));
        assertThat(millis.size()).isGreaterThan(100);
        assertThat(expiry.getExpiryForAccess()).isNull();
    }

    @Test
    void withoutJitterEveryEntryGetsTheTtl() {
        assertThat(new JitteredExpiry(Duration.ofSeconds(5), 0).getExpiryForUpdate().getDurationAmount()).isEqualTo(5000);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new JitteredExpiry(Duration.ZERO, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JitteredExpiry(Duration.ofSeconds(1), 0.9)).isInstanceOf(IllegalArgumentException.class);
    }
}
