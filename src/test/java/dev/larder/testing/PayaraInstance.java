package dev.larder.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A further Larder instance run the way operators run it ({@code java -jar payara-micro.jar
 * --deploy larder.war}), beside the Arquillian-managed one, for tests of several instances on one
 * Redis and one database.
 */
public final class PayaraInstance implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private TcpProxy redisProxy;

    private PayaraInstance(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The statuses a readiness probe saw while an instance booted (0: no answer), the last one 200. */
    public record Probed(PayaraInstance instance, List<Integer> statuses) {

        /** How often each status was seen, in the order first seen, e.g. {@code {0=412, 503=31, 200=1}}. */
        public Map<Integer, Long> counts() {
            return statuses.stream().collect(Collectors.groupingBy(s -> s, LinkedHashMap::new, Collectors.counting()));
        }
    }

    private static PayaraInstance shared;

    /** {@code larder.events.max-clients} of the shared instance B. */
    public static final int SHARED_EVENT_CLIENTS = 12;

    /**
     * Instance B of the integration tests, started once per test JVM and stopped when it exits, so
     * that every IT class shares one boot. It runs without Hazelcast and with a 2 s TTL and a large
     * XFetch β for {@code product-pages}, so that early refresh can be watched within seconds, and
     * serves at most {@value #SHARED_EVENT_CLIENTS} event clients, so that the cap can be reached. It
     * reaches the tests' Redis (system property {@code larder.it.redis-port}) only through a
     * {@link TcpProxy} of this JVM, so that a test can cut B alone off from Redis ({@link #redisProxy()}).
     */
    public static synchronized PayaraInstance shared() throws Exception {
        if (shared == null) {
            TcpProxy proxy = TcpProxy.start(Integer.getInteger("larder.it.redis-port"));
            PayaraInstance started;
            try {
                Map<String, String> env = new java.util.HashMap<>(Map.of("LARDER_REDIS_ADDRESS", "redis://127.0.0.1:" + proxy.port(),
                        "LARDER_CACHING_PRODUCT_PAGES_TTL", "PT2S", "LARDER_CACHING_PRODUCT_PAGES_XFETCH_BETA", "100",
                        "LARDER_EVENTS_MAX_CLIENTS", String.valueOf(SHARED_EVENT_CLIENTS)));
                String clusterYaml = System.getProperty("larder.it.redis-config", "");
                if (!clusterYaml.isBlank()) {
                    env.put("LARDER_REDIS_CONFIG", throughProxies(Path.of(clusterYaml), proxy).toString());
                }
                started = start(env, "--nohazelcast");
            } catch (IOException e) {
                proxy.close();
                throw e;
            }
            started.redisProxy = proxy;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            shared = started.awaitReady(Duration.ofMinutes(3));
        }
        return shared;
    }

    /**
     * Against Redis Cluster: a proxy for every node (the first is {@code first}, which stalls the
     * others with it), and a Redisson YAML that reaches the nodes only through them: the addresses
     * the cluster announces are mapped to the proxies ({@code HostPortNatMapper}).
     */
    private static Path throughProxies(Path clusterYaml, TcpProxy first) throws IOException {
        List<Integer> nodes = Files.readAllLines(clusterYaml.resolveSibling("ports")).stream()
                .map(line -> Integer.parseInt(line.split(" ")[0])).toList();
        Map<Integer, TcpProxy> proxies = new java.util.LinkedHashMap<>();
        List<TcpProxy> others = new ArrayList<>();
        for (int node : nodes) {
            TcpProxy proxy = node == first.targetPort() ? first : TcpProxy.start(node);
            proxies.put(node, proxy);
            if (proxy != first) {
                others.add(proxy);
            }
        }
        first.together(others);
        StringBuilder yaml = new StringBuilder();
        for (String line : Files.readAllLines(clusterYaml)) {
            if (line.strip().startsWith("nodeAddresses:")) {
                break;
            }
            yaml.append(line).append('\n');
        }
        yaml.append("  natMapper: !<org.redisson.config.HostPortNatMapper>\n    hostsPortMap:\n");
        proxies.forEach((node, proxy) -> yaml.append("      \"127.0.0.1:").append(node).append("\": \"127.0.0.1:")
                .append(proxy.port()).append("\"\n"));
        yaml.append("  nodeAddresses:\n");
        proxies.values().forEach(proxy -> yaml.append("    - \"redis://127.0.0.1:").append(proxy.port()).append("\"\n"));
        Path file = clusterYaml.resolveSibling("redisson-through-proxies.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    public static PayaraInstance start(Map<String, String> env, String... extraOptions) throws IOException {
        int port = RedisServer.freePort();
        Path root = Files.createTempDirectory("larder-payara-" + port);
        Path log = root.resolve("server.log");
        List<String> command = new ArrayList<>(List.of("java", "-Xmx384m", "-XX:+UseSerialGC", "-jar",
                System.getProperty("payara.microJar"), "--deploy", System.getProperty("larder.it.war"),
                "--contextroot", "/", "--port", String.valueOf(port), "--rootdir", root.resolve("root").toString(),
                "--nocluster"));
        command.addAll(List.of(extraOptions));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new PayaraInstance(builder.start(), port, log);
    }

    /**
     * Starts an instance and polls its {@code /health/ready} every {@code period} from the moment the
     * process is spawned, as a load balancer or Kubernetes would, until it answers 200; fails (and
     * stops the instance) if that takes longer than {@code timeout} or the process ends.
     */
    public static Probed startWhileProbingReadiness(Duration period, Duration timeout, Map<String, String> env,
                                                    String... extraOptions) throws Exception {
        PayaraInstance instance = start(env, extraOptions);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        List<Integer> statuses = new ArrayList<>();
        long start = System.nanoTime();
        for (long n = 1; System.nanoTime() - start < timeout.toNanos() && instance.process.isAlive(); n++) {
            int status = status(http, probe);
            statuses.add(status);
            if (status == 200) {
                return new Probed(instance, List.copyOf(statuses));
            }
            long untilNext = start + n * period.toNanos() - System.nanoTime();
            if (untilNext > 0) {
                TimeUnit.NANOSECONDS.sleep(untilNext);
            }
        }
        String tail = instance.tail();
        instance.close();
        throw new IllegalStateException("Payara Micro on port " + instance.port + " was not ready after " + timeout
                + " of probes, statuses " + new Probed(instance, statuses).counts() + ":\n" + tail);
    }

    private static int status(HttpClient http, HttpRequest probe) throws InterruptedException {
        try {
            return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException noAnswer) {
            return 0;
        }
    }

    /** The proxy between this instance and Redis; only the shared instance B has one. */
    public TcpProxy redisProxy() {
        if (redisProxy == null) {
            throw new IllegalStateException("this instance talks to Redis directly");
        }
        return redisProxy;
    }

    /** The server's console output (boot, deployment and application log). */
    public Path log() {
        return log;
    }

    /** The server's process id. */
    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Kills the server with SIGKILL (no shutdown hooks, no goodbye to Redis or the database) and waits for it to end. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Payara Micro on port " + port + " survived SIGKILL for 30 s");
        }
    }

    public Api api() {
        return new Api("http://127.0.0.1:" + port + "/");
    }

    /**
     * Waits until the application answers, or fails with the last outcome and the tail of the server
     * log. HTTP/1.1 as in {@link Api}: once, with the client's default (HTTP/2 by h2c upgrade), B
     * answered no ping for 3 minutes after it had logged "ready" (cause not established).
     */
    public PayaraInstance awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ping")).timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        String last = "no attempt";
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                int status = http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return this;
                }
                last = "status " + status;
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Payara Micro on port " + port + " did not become ready (last ping: " + last + "):\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1); // never fails on odd bytes
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
        if (redisProxy != null) {
            redisProxy.close();
        }
    }
}
