package dev.larder.kit.sessions.control;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Session settings from {@code larder.sessions.*}: {@code timeout} (sliding, ISO-8601, default 30
 * minutes), {@code cookie.name} ({@code LARDER_SESSION}), {@code cookie.secure} (false),
 * {@code cookie.http-only} (true), {@code cookie.same-site} ({@code Lax}), {@code max-bytes} (the
 * JSON size of all attributes together, 16 KiB).
 */
public record SessionSettings(Duration timeout, String cookieName, boolean secure, boolean httpOnly, String sameSite,
                              int maxBytes) {

    public SessionSettings {
        if (timeout.isNegative() || timeout.isZero() || maxBytes < 1) {
            throw new IllegalArgumentException("larder.sessions.timeout and max-bytes must be positive");
        }
        if (!cookieName.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("larder.sessions.cookie.name is not a cookie name: " + cookieName);
        }
        if (!sameSite.matches("Strict|Lax|None")) {
            throw new IllegalArgumentException("larder.sessions.cookie.same-site is Strict, Lax or None, not " + sameSite);
        }
    }

    public static SessionSettings of(Function<String, Optional<String>> config) {
        return new SessionSettings(
                config.apply("larder.sessions.timeout").map(Duration::parse).orElse(Duration.ofMinutes(30)),
                config.apply("larder.sessions.cookie.name").orElse("LARDER_SESSION"),
                config.apply("larder.sessions.cookie.secure").map(Boolean::parseBoolean).orElse(false),
                config.apply("larder.sessions.cookie.http-only").map(Boolean::parseBoolean).orElse(true),
                config.apply("larder.sessions.cookie.same-site").orElse("Lax"),
                config.apply("larder.sessions.max-bytes").map(Integer::parseInt).orElse(16 * 1024));
    }
}
