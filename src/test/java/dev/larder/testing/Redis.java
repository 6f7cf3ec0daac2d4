package dev.larder.testing;

import dev.larder.kit.caching.control.Slots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The integration tests' own Redis (started by {@code src/test/sh/it-env.sh} on the port Maven
 * reserved), seen through {@code redis-cli} so that the tests read exactly what is stored.
 */
public final class Redis {

    public static final String PORT = System.getProperty("larder.it.redis-port");

    private Redis() {
    }

    /** How the application spreads a cache over hashes (its default number of slot groups). */
    static final Slots SLOTS = new Slots(Slots.DEFAULT_GROUPS);

    /** The raw JSON stored for a key of a (non-versioned) cache, or null. */
    public static String cached(String cache, String key) throws Exception {
        return nullIfEmpty(cli("HGET", SLOTS.hashOf(cache, key), key));
    }

    public static void evict(String cache, String key) throws Exception {
        cli("HDEL", SLOTS.hashOf(cache, key), key);
    }

    public static String string(String key) throws Exception {
        return nullIfEmpty(cli("GET", key));
    }

    public static void stop() throws Exception {
        run(List.of("bash", "src/test/sh/it-env.sh", "redis-stop", PORT));
    }

    /** Starts Redis again, empty (after {@link #stop()} or {@link #kill()}). */
    public static void start() throws Exception {
        run(List.of("bash", "src/test/sh/it-env.sh", "redis-start", PORT));
    }

    /** SIGKILL: no shutdown, every connection dropped at once; {@link #start()} brings it back empty. */
    public static void kill() throws Exception {
        run(List.of("bash", "src/test/sh/it-env.sh", "redis-kill", PORT));
    }

    /**
     * SIGSTOP: connections stay open and nothing answers, as with a hung host. Every test that pauses
     * resumes in a finally; meanwhile nothing in this class may be called but {@link #resume()}.
     */
    public static void pause() throws Exception {
        run(List.of("bash", "src/test/sh/it-env.sh", "redis-pause", PORT));
    }

    /** SIGCONT: Redis carries on with its data and answers what was queued meanwhile. */
    public static void resume() throws Exception {
        run(List.of("bash", "src/test/sh/it-env.sh", "redis-resume", PORT));
    }

    /** A {@code redis-cli} command against this Redis (following a cluster's redirects); its output, stripped. */
    public static String cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-c", "-p", PORT, "--raw"));
        command.addAll(List.of(args));
        return run(command).strip();
    }

    /** Runs a command for at most 20 s (a paused Redis never answers redis-cli) and returns its output. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("larder-redis-cli", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean ended = process.waitFor(20, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (!ended || process.exitValue() != 0) {
                throw new IllegalStateException(command + (ended ? " failed: " : " did not end within 20 s: ") + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String nullIfEmpty(String value) {
        return value.isEmpty() ? null : value;
    }
}
