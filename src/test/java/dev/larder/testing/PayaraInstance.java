package dev.larder.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A further Larder instance run the way operators run it ({@code java -jar payara-micro.jar
 * --deploy larder.war}), beside the Arquillian-managed one, for tests of several instances on one
 * Redis and one database.
 */
public final class PayaraInstance implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private PayaraInstance(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    private static PayaraInstance shared;

    /**
     * Instance B of the integration tests, started once per test JVM and stopped when it exits, so
     * that every IT class shares one boot. It runs without Hazelcast and with a 2 s TTL and a large
     * XFetch β for {@code product-pages}, so that early refresh can be watched within seconds.
     */
    public static synchronized PayaraInstance shared() throws Exception {
        if (shared == null) {
            shared = start(Map.of("LARDER_CACHING_PRODUCT_PAGES_TTL", "PT2S", "LARDER_CACHING_PRODUCT_PAGES_XFETCH_BETA", "100"),
                    "--nohazelcast").awaitReady(Duration.ofMinutes(3));
            PayaraInstance started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        return shared;
    }

    public static PayaraInstance start(Map<String, String> env, String... extraOptions) throws IOException {
        int port = RedisServer.freePort();
        Path root = Files.createTempDirectory("larder-payara-" + port);
        Path log = root.resolve("server.log");
        List<String> command = new java.util.ArrayList<>(List.of("java", "-Xmx384m", "-XX:+UseSerialGC", "-jar",
                System.getProperty("payara.microJar"), "--deploy", System.getProperty("larder.it.war"),
                "--contextroot", "/", "--port", String.valueOf(port), "--rootdir", root.resolve("root").toString(),
                "--nocluster"));
        command.addAll(List.of(extraOptions));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new PayaraInstance(builder.start(), port, log);
    }

    public Api api() {
        return new Api("http://127.0.0.1:" + port + "/");
    }

    /** Waits until the application answers, or fails with the tail of the server log. */
    public PayaraInstance awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                HttpResponse<Void> ping = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ping"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ping.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // still booting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Payara Micro on port " + port + " did not become ready:\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
