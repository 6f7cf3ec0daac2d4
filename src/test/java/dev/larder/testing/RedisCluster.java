package dev.larder.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of the tests' own (3 masters, 3 replicas on loopback, {@code src/test/sh/redis-cluster.sh}),
 * for tests that must show the kit on Redis Cluster: slots, sharded pub/sub, keys spread over masters.
 */
public final class RedisCluster implements AutoCloseable {

    private static final String SCRIPT = "src/test/sh/redis-cluster.sh";

    private final Path dir;
    private final List<Integer> ports;

    private RedisCluster(Path dir, List<Integer> ports) {
        this.dir = dir;
        this.ports = ports;
    }

    public static RedisCluster start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("larder-cluster");
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT, "start", dir.toString()));
        for (int i = 0; i < 6; i++) {
            command.add(String.valueOf(RedisServer.freePort()));
        }
        run(command);
        List<Integer> ports = Files.readAllLines(dir.resolve("ports")).stream()
                .map(line -> Integer.parseInt(line.split(" ")[0])).toList();
        return new RedisCluster(dir, ports);
    }

    /** A Redisson YAML file ({@code clusterServersConfig}) naming every node. */
    public Path redissonYaml() {
        return dir.resolve("redisson.yaml");
    }

    public List<Integer> ports() {
        return ports;
    }

    /**
     * The port of every master that serves slots. A node told to replicate shows as a master without
     * slots until the gossip about it reaches the node asked, so a master is only one with slots.
     */
    public List<Integer> masters() throws IOException, InterruptedException {
        return nodes().entrySet().stream().filter(e -> e.getValue().contains("master") && e.getValue().contains("slots"))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** Port → flags (myself,master / slave ...), plus " slots" if it serves any, as CLUSTER NODES tells. */
    private Map<Integer, String> nodes() throws IOException, InterruptedException {
        String text = cli(ports.get(0), "cluster", "nodes");
        return text.lines().map(l -> l.split(" ")).collect(Collectors.toMap(
                f -> Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@'))),
                f -> f[2] + (f.length > 8 ? " slots" : "")));
    }

    /** A command on one node ({@code redis-cli -p port ...}), its raw output. */
    public String cli(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port), "--raw"));
        command.addAll(List.of(args));
        return run(command);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("bash", SCRIPT, "stop", dir.toString()));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("larder-cluster", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean ended = process.waitFor(90, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            String text = Files.readString(output);
            if (!ended || process.exitValue() != 0) {
                throw new IllegalStateException(command + (ended ? " failed: " : " did not end within 90 s: ") + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
