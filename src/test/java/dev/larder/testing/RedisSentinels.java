package dev.larder.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A Redis Sentinel group of a test's own on free ports of 127.0.0.1: one master, one replica
 * ({@code --replicaof}) and three Sentinels monitoring the master as {@value #MASTER_NAME} with a
 * quorum of two, all {@code redis-server} processes ({@link RedisServer}, never containers: every
 * node must reach the others at the addresses the Sentinels announce). {@link #start()} returns once
 * every Sentinel knows the replica and the two other Sentinels, so that a {@link #failover()} can
 * start at once. Never the machine's Redis.
 *
 * <p>Timing: {@code down-after-milliseconds} {@value #DOWN_AFTER_MILLIS}; {@code failover-timeout}
 * {@value #FAILOVER_TIMEOUT_MILLIS} ms, long on purpose: it is also how long a Sentinel tolerates a
 * replica that replicates from another address than the master's before it points it back, and
 * {@link #holdReplication()} relies on that (a forced failover is not slowed by it). After a forced
 * failover Sentinel promotes the replica within about a second, but leaves the old master a master
 * until it turns it into a replica some 10 s later ({@code +convert-to-slave}): {@link #failover()}
 * waits for both.
 */
public final class RedisSentinels implements AutoCloseable {

    public static final String MASTER_NAME = "larder";
    static final int DOWN_AFTER_MILLIS = 1000;
    static final int FAILOVER_TIMEOUT_MILLIS = 60_000;
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(75);
    private static final Duration POLL = Duration.ofMillis(50);

    private final List<RedisServer> nodes = new ArrayList<>();
    private final List<RedisServer> sentinels = new ArrayList<>();

    private RedisSentinels() {
    }

    /** Starts the group and waits (at most 30 s) until every Sentinel sees the replica and the other Sentinels. */
    public static RedisSentinels start() throws Exception {
        RedisSentinels group = new RedisSentinels();
        try {
            RedisServer master = RedisServer.startProcess();
            group.nodes.add(master);
            group.nodes.add(RedisServer.startProcess("--replicaof", "127.0.0.1", String.valueOf(master.port())));
            for (int i = 0; i < 3; i++) {
                group.sentinels.add(RedisServer.startSentinel(List.of(
                        "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 2",
                        "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MILLIS,
                        "sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT_MILLIS,
                        "sentinel parallel-syncs " + MASTER_NAME + " 1")));
            }
            group.awaitSettled(master.port(), group.nodes.get(1).port());
            return group;
        } catch (Exception | AssertionError e) {
            group.close();
            throw e;
        }
    }

    /** The master's port as the Sentinels announce it (the first Sentinel's answer). */
    public int masterPort() {
        return announcedBy(sentinels.get(0));
    }

    /** The node the Sentinels announce as master. */
    public RedisServer master() {
        int port = masterPort();
        return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
    }

    /** The other node. */
    public RedisServer replica() {
        int port = masterPort();
        return nodes.stream().filter(n -> n.port() != port).findFirst().orElseThrow();
    }

    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    public List<RedisServer> sentinels() {
        return List.copyOf(sentinels);
    }

    /** A node's {@code run_id} (INFO server): a new process has a new one. */
    public static String runId(RedisServer node) {
        return Resp.info(node.port(), "server").get("run_id");
    }

    /**
     * What one forced failover did: from which port to which, how long the Sentinel took to accept
     * the command, and when (since it accepted) each step was seen.
     */
    public record Failover(int from, int to, Duration accepted, Duration promoted, Duration announced, Duration demoted) {
    }

    /**
     * {@code SENTINEL FAILOVER} (repeated while the Sentinel answers that it knows no good replica yet
     * or is still busy with the last failover: after a failover it lists the old master as a healthy
     * replica only at its next 10-second refresh), then waits (at most 30 s per step) until the
     * replica answers as master ({@code promoted}), every Sentinel announces it ({@code announced}),
     * and the old master replicates from it ({@code demoted}).
     */
    public Failover failover() throws Exception {
        return failover(() -> {
        });
    }

    /** {@link #failover()}, running {@code whenAnnounced} on this thread as soon as every Sentinel announces the new master. */
    public Failover failover(Runnable whenAnnounced) throws Exception {
        int from = masterPort();
        int to = replica().port();
        long start = System.nanoTime();
        await("a Sentinel accepts SENTINEL FAILOVER", () -> {
            try {
                return Resp.string(sentinels.get(0).port(), "SENTINEL", "FAILOVER", MASTER_NAME);
            } catch (Resp.ErrorReply notYet) {
                if (notYet.getMessage().startsWith("NOGOODSLAVE") || notYet.getMessage().startsWith("INPROG")) {
                    return null;
                }
                throw notYet;
            }
        }, "OK"::equals);
        long accepted = System.nanoTime();
        await("port " + to + " answers as master", () -> role(to), "master"::equals);
        Duration promoted = since(accepted);
        await("every Sentinel announces port " + to, this::announcedPorts, ports -> ports.equals(List.of(to, to, to)));
        Duration announced = since(accepted);
        whenAnnounced.run();
        await("port " + from + " replicates from " + to, () -> Resp.info(from, "replication"), info -> "slave".equals(info.get("role"))
                && String.valueOf(to).equals(info.get("master_port")) && "up".equals(info.get("master_link_status")));
        Duration demoted = since(accepted);
        // A Sentinel turns back into a replica any instance it last saw report "master" more than 8 s
        // ago (its "+convert-to-slave"); one that has not yet seen the old master report "slave" would
        // undo the next failover's promotion. Settle until every Sentinel has seen it as a replica for
        // longer than that.
        await("every Sentinel has seen port " + from + " as a replica of " + to + " for 10 s",
                () -> sentinels.stream().allMatch(sentinel -> seenAsReplicaFor(sentinel, from, 10_000)), Boolean::booleanValue);
        return new Failover(from, to, Duration.ofNanos(accepted - start), promoted, announced, demoted);
    }

    /** Replication from the master to the replica, held back until {@link Held#close()}. */
    public interface Held extends AutoCloseable {
        @Override
        void close() throws Exception;
    }

    /**
     * Points the replica at the master through a {@link TcpProxy}, waits until it has caught up, then
     * stalls the proxy: from here on the master acknowledges writes that the replica never gets,
     * while the replica still counts as healthy (its link times out only after
     * {@code repl-timeout}, 60 s) and so can be promoted; what asynchronous replication risks in
     * every failover, made certain. Closing it points a replica that was not promoted straight at
     * the master again.
     */
    public Held holdReplication() throws Exception {
        RedisServer master = master();
        RedisServer replica = replica();
        TcpProxy proxy = TcpProxy.start(master.port());
        Resp.call(replica.port(), "REPLICAOF", "127.0.0.1", String.valueOf(proxy.port()));
        await("the replica replicates through the proxy and has caught up", () -> {
            long masterOffset = Long.parseLong(Resp.info(master.port(), "replication").get("master_repl_offset"));
            Map<String, String> info = Resp.info(replica.port(), "replication");
            return String.valueOf(proxy.port()).equals(info.get("master_port")) && "up".equals(info.get("master_link_status"))
                    && Long.parseLong(info.getOrDefault("slave_repl_offset", "-1")) >= masterOffset;
        }, Boolean::booleanValue);
        proxy.stall();
        return () -> {
            try {
                if (String.valueOf(proxy.port()).equals(Resp.info(replica.port(), "replication").get("master_port"))) {
                    Resp.call(replica.port(), "REPLICAOF", "127.0.0.1", String.valueOf(master.port()));
                }
            } finally {
                proxy.close();
            }
        };
    }

    /**
     * A Redisson YAML configuration of this group ({@code sentinelServersConfig}), with the timeout
     * and the settings the application uses for a single address (no retries, masters only, small
     * pools) written out, since a YAML file is taken as it is, and a {@code scanInterval} of 250 ms
     * (how often Redisson asks a Sentinel for the master).
     */
    public String redissonYaml(Duration timeout) {
        String sentinelList = sentinels.stream().map(s -> "    - \"" + s.address() + "\"").collect(Collectors.joining("\n"));
        return """
                sentinelServersConfig:
                  masterName: "%s"
                  sentinelAddresses:
                %s
                  scanInterval: 250
                  timeout: %d
                  connectTimeout: %d
                  retryAttempts: 0
                  readMode: "MASTER"
                  subscriptionMode: "MASTER"
                  masterConnectionPoolSize: 16
                  masterConnectionMinimumIdleSize: 2
                  subscriptionConnectionPoolSize: 4
                  subscriptionConnectionMinimumIdleSize: 1
                threads: 4
                nettyThreads: 4
                """.formatted(MASTER_NAME, sentinelList, timeout.toMillis(), timeout.toMillis());
    }

    /** {@link #redissonYaml} in a new temporary file, for {@code LARDER_REDIS_CONFIG}. */
    public Path writeRedissonYaml(Duration timeout) throws IOException {
        Path file = Files.createTempFile("larder-sentinel-", ".yaml");
        Files.writeString(file, redissonYaml(timeout));
        return file;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (RedisServer server : concat(sentinels, nodes)) {
            try {
                server.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void awaitSettled(int masterPort, int replicaPort) throws Exception {
        await("every Sentinel sees the replica with a live link and the two other Sentinels", () -> sentinels.stream().allMatch(s ->
                        replicaListed(s, replicaPort, masterPort) && ((List<?>) Resp.call(s.port(), "SENTINEL", "SENTINELS", MASTER_NAME)).size() == 2),
                Boolean::booleanValue);
    }

    /** Whether a Sentinel lists {@code replicaPort} as a healthy replica of {@code masterPort}. */
    private static boolean replicaListed(RedisServer sentinel, int replicaPort, int masterPort) {
        for (Object entry : (List<?>) Resp.call(sentinel.port(), "SENTINEL", "REPLICAS", MASTER_NAME)) {
            Map<String, String> replica = Resp.pairs(entry);
            if (String.valueOf(replicaPort).equals(replica.get("port"))) {
                return "slave".equals(replica.get("flags")) && "ok".equals(replica.get("master-link-status"))
                        && String.valueOf(masterPort).equals(replica.get("master-port"));
            }
        }
        return false;
    }

    /** Whether {@code sentinel} lists {@code port} as a replica that has reported role slave for at least {@code millis}. */
    private static boolean seenAsReplicaFor(RedisServer sentinel, int port, long millis) {
        for (Object replica : (List<?>) Resp.call(sentinel.port(), "SENTINEL", "REPLICAS", MASTER_NAME)) {
            Map<String, String> fields = Resp.pairs(replica);
            if (String.valueOf(port).equals(fields.get("port"))) {
                return "slave".equals(fields.get("role-reported"))
                        && Long.parseLong(fields.getOrDefault("role-reported-time", "0")) >= millis;
            }
        }
        return false;
    }

    private List<Integer> announcedPorts() {
        return sentinels.stream().map(RedisSentinels::announcedBy).toList();
    }

    private static int announcedBy(RedisServer sentinel) {
        List<?> address = (List<?>) Resp.call(sentinel.port(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
        return Integer.parseInt(String.valueOf(address.get(1)));
    }

    private static String role(int port) {
        return String.valueOf(((List<?>) Resp.call(port, "ROLE")).get(0));
    }

    private static <T> void await(String what, Callable<T> read, Predicate<T> done) throws Exception {
        T last = Eventually.within(SETTLE_LIMIT, POLL, () -> {
            try {
                return read.call();
            } catch (RuntimeException notYet) {
                return null;
            }
        }, value -> value != null && done.test(value));
        if (last == null || !done.test(last)) {
            throw new AssertionError("Sentinel group: not within " + SETTLE_LIMIT + ": " + what + " (last seen: " + last + ")");
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static List<RedisServer> concat(List<RedisServer> first, List<RedisServer> second) {
        List<RedisServer> all = new ArrayList<>(first);
        all.addAll(second);
        return all.stream().filter(Objects::nonNull).toList();
    }
}
