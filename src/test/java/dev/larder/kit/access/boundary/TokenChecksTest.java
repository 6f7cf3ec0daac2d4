package dev.larder.kit.access.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class TokenChecksTest {

    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

    private final TokenChecks checks = new TokenChecks(60);

    @Test
    void refusesATokenNotValidBeforeALaterTime() {
        assertThat(checks.notYetValid(token(Map.of("iat", seconds(-10), "nbf", seconds(3600))), NOW)).isTrue();
    }

    @Test
    void refusesATokenIssuedInTheFuture() {
        assertThat(checks.notYetValid(token(Map.of("iat", seconds(3600))), NOW)).isTrue();
    }

    @Test
    void allowsClocksToDifferByTheSkew() {
        assertThat(checks.notYetValid(token(Map.of("iat", seconds(60), "nbf", seconds(60))), NOW)).isFalse();
        assertThat(checks.notYetValid(token(Map.of("iat", seconds(61))), NOW)).isTrue();
    }

    @Test
    void acceptsATokenWithoutTimes() {
        assertThat(checks.notYetValid(token(Map.of()), NOW)).isFalse();
    }

    private static long seconds(long fromNow) {
        return NOW.getEpochSecond() + fromNow;
    }

    /** A verified token as the server hands it on: numeric date claims as numbers. */
    private static JsonWebToken token(Map<String, Long> times) {
        Map<String, Object> claims = new HashMap<>(times);
        return new JsonWebToken() {
            @Override
            public String getName() {
                return "it";
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return (T) claims.get(name);
            }
        };
    }
}
