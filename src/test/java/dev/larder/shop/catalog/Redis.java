package dev.larder.shop.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The integration tests' own Redis (started by {@code src/test/sh/it-env.sh} on the port Maven
 * reserved), seen through {@code redis-cli} so that the tests read exactly what is stored.
 */
final class Redis {

    static final String PORT = System.getProperty("larder.it.redis-port");

    private Redis() {
    }

    /** The raw JSON stored for a key of a cache, or null. */
    static String cached(String cache, String key) throws Exception {
        return nullIfEmpty(cli("HGET", "larder:cache:" + cache, key));
    }

    static void evict(String cache, String key) throws Exception {
        cli("HDEL", "larder:cache:" + cache, key);
    }

    static String string(String key) throws Exception {
        return nullIfEmpty(cli("GET", key));
    }

    static void stop() throws Exception {
        run(List.of("bash", "src/test/sh/it-env.sh", "redis-stop", PORT));
    }

    static void start() throws Exception {
        run(List.of("bash", "src/test/sh/it-env.sh", "redis-start", PORT));
    }

    private static String cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", PORT, "--raw"));
        command.addAll(List.of(args));
        return run(command).strip();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + output);
        }
        return output;
    }

    private static String nullIfEmpty(String value) {
        return value.isEmpty() ? null : value;
    }
}
