package dev.larder.kit.ratelimiting.control;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One rate-limit policy: at most {@code limit} requests per {@code window} per client, for the
 * requests whose path matches {@code pattern} and whose method is in {@code methods} (empty: all).
 */
public record Policy(String name, Pattern pattern, Set<String> methods, int limit, Duration window) {

    public Policy {
        if (limit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("rate-limit policy " + name + " needs a limit >= 1 and a positive window");
        }
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("rate-limit policy names are lower-case letters, digits and '-': " + name);
        }
    }

    boolean matches(String method, String path) {
        return (methods.isEmpty() || methods.contains(method)) && pattern.matcher(path).matches();
    }

    /** The IETF {@code RateLimit-Policy} field value: {@code "name";q=limit;w=seconds}. */
    public String header() {
        return "\"" + name + "\";q=" + limit + ";w=" + window.toSeconds();
    }
}
