package dev.larder.kit.ratelimiting.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The configured policies: {@code larder.ratelimit.policies} names the route policies in the order
 * they are tried, each with {@code larder.ratelimit.policies.<name>.pattern} (a regular expression
 * on the path), {@code .methods} (comma-separated, default all), {@code .limit} and {@code .window};
 * the default policy ({@code larder.ratelimit.default.limit}/{@code .window}) applies to every other
 * limited path. Paths matching {@code larder.ratelimit.exclude} are never limited.
 */
public record Policies(List<Policy> routes, Policy fallback, Pattern excluded) {

    public static Policies of(Function<String, Optional<String>> config) {
        List<Policy> routes = new ArrayList<>();
        for (String name : list(config.apply("larder.ratelimit.policies").orElse(""))) {
            String prefix = "larder.ratelimit.policies." + name + ".";
            routes.add(new Policy(name,
                    Pattern.compile(config.apply(prefix + "pattern").orElseThrow(() -> missing(prefix + "pattern"))),
                    methods(config.apply(prefix + "methods").orElse("")),
                    Integer.parseInt(config.apply(prefix + "limit").orElseThrow(() -> missing(prefix + "limit"))),
                    Duration.parse(config.apply(prefix + "window").orElse("PT1M"))));
        }
        Policy fallback = new Policy("default", Pattern.compile(".*"), Set.of(),
                Integer.parseInt(config.apply("larder.ratelimit.default.limit").orElse("100")),
                Duration.parse(config.apply("larder.ratelimit.default.window").orElse("PT1M")));
        Pattern excluded = Pattern.compile(config.apply("larder.ratelimit.exclude").orElse("/(health|metrics|openapi)(/.*)?"));
        return new Policies(List.copyOf(routes), fallback, excluded);
    }

    /** The policy for a request, or empty when its path is excluded. */
    public Optional<Policy> forRequest(String method, String path) {
        if (excluded.matcher(path).matches()) {
            return Optional.empty();
        }
        for (Policy route : routes) { // per request: a loop, not a stream
            if (route.matches(method, path)) {
                return Optional.of(route);
            }
        }
        return Optional.of(fallback);
    }

    /** The policy of that name (a route policy or {@code default}), for API keys bound to one. */
    public Optional<Policy> named(String name) {
        return name.equals(fallback.name()) ? Optional.of(fallback)
                : routes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static Set<String> methods(String list) {
        return list(list).stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static IllegalArgumentException missing(String key) {
        return new IllegalArgumentException("rate limiting: " + key + " is not configured");
    }
}
