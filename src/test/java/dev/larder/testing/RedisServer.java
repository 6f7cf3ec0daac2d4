package dev.larder.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import dev.larder.kit.redis.control.RedisSettings;

/**
 * A real Redis server of a test's own, on a free port of 127.0.0.1, so that tests can stop, restart
 * or pause it. Never the machine's shared Redis. Where a Docker engine answers ({@link Docker}) it is
 * a container of the official image, published on that port (so a restart keeps the address), paused
 * and thawed with {@code docker pause}/{@code unpause} (the cgroup freezer: connections stay open and
 * nothing answers, as with SIGSTOP); otherwise a {@code redis-server} process, paused with SIGSTOP.
 * A {@link #builder()} starts one that asks for a password, knows ACL users, or speaks only TLS.
 */
public final class RedisServer implements AutoCloseable {

    /**
     * Every port handed out in this JVM (and the integration tests' Redis port), never handed out
     * again: Redisson caches script SHAs per address in a static map, so a second server on a
     * reused port answers that cache's EVALSHA with NOSCRIPT.
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    static {
        Integer itRedis = Integer.getInteger("larder.it.redis-port");
        if (itRedis != null) {
            HANDED_OUT.add(itRedis);
        }
    }

    static final String IMAGE = "redis:7.4";

    private final int port;
    private final Path dir;
    private final Builder options;
    /** Never a container: the servers of a replication or Sentinel group. */
    private final boolean processOnly;
    /** Arguments before the common ones (a Sentinel's configuration file) and after them. */
    private final List<String> head;
    private final List<String> tail;
    private Process process;
    private GenericContainer<?> container;
    private boolean paused;

    private RedisServer(int port, Path dir, Builder options, boolean processOnly, List<String> head, List<String> tail) {
        this.port = port;
        this.dir = dir;
        this.options = options;
        this.processOnly = processOnly;
        this.head = List.copyOf(head);
        this.tail = List.copyOf(tail);
    }

    private RedisServer(int port, Builder options) throws IOException {
        this(port, Files.createTempDirectory("larder-redis-" + port), options, false, List.of(), List.of());
    }

    private RedisServer(int port, boolean processOnly, List<String> tail) throws IOException {
        this(port, Files.createTempDirectory("larder-redis-" + port), new Builder(), processOnly, List.of(), tail);
    }

    public static RedisServer start() throws IOException, InterruptedException {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What a server asks of its clients, beyond the plain one {@link #start()} starts. */
    public static final class Builder {
        private String password;
        private final List<String> users = new ArrayList<>();
        private CertificateAuthority.Issued tls;

        private Builder() {
        }

        /** {@code requirepass}: the default user's password. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** An ACL user, as the arguments of an {@code ACL SETUSER} (or {@code user} directive): {@code "name on >pw ~k:* +get"}. */
        public Builder user(String rules) {
            users.add(rules);
            return this;
        }

        /** TLS only (no plain port), with this certificate; clients need not present one of their own. */
        public Builder tls(CertificateAuthority.Issued certificate) {
            this.tls = certificate;
            return this;
        }

        public RedisServer start() throws IOException, InterruptedException {
            RedisServer server = new RedisServer(freePort(), this);
            server.startProcess();
            return server;
        }

        /** The server's options beyond port and persistence, with file paths as {@code path} places them. */
        List<String> arguments(java.util.function.Function<Path, String> path) {
            List<String> arguments = new ArrayList<>();
            if (password != null) {
                arguments.addAll(List.of("--requirepass", password));
            }
            for (String user : users) {
                arguments.add("--user");
                arguments.addAll(Arrays.asList(user.strip().split("\\s+")));
            }
            if (tls != null) {
                arguments.addAll(List.of("--tls-cert-file", path.apply(tls.certificate()), "--tls-key-file", path.apply(tls.key()),
                        "--tls-ca-cert-file", path.apply(tls.authority()), "--tls-auth-clients", "no"));
            }
            return arguments;
        }

        List<Path> files() {
            return tls == null ? List.of() : List.of(tls.certificate(), tls.key(), tls.authority());
        }
    }

    /**
     * A {@code redis-server} process, never a container (also where Docker answers: Sentinel and
     * replication need every node to see the others at the addresses the tests use), with
     * {@code arguments} after the usual ones, e.g. {@code --replicaof 127.0.0.1 <port>}.
     */
    public static RedisServer startProcess(String... arguments) throws IOException, InterruptedException {
        RedisServer server = new RedisServer(freePort(), true, List.of(arguments));
        server.startProcess();
        return server;
    }

    /**
     * A Redis Sentinel ({@code redis-server sentinel.conf --sentinel}, a process) whose configuration
     * file holds {@code configLines} (Sentinel rewrites that file as it learns, so it is its own).
     */
    public static RedisServer startSentinel(List<String> configLines) throws IOException, InterruptedException {
        int port = freePort();
        Path dir = Files.createTempDirectory("larder-sentinel-" + port);
        Path conf = dir.resolve("sentinel.conf");
        Files.write(conf, configLines);
        RedisServer sentinel = new RedisServer(port, dir, new Builder(), true, List.of(conf.toString(), "--sentinel"), List.of());
        sentinel.startProcess();
        return sentinel;
    }

    public int port() {
        return port;
    }

    public String address() {
        return (options.tls == null ? "redis://" : "rediss://") + "127.0.0.1:" + port;
    }

    /**
     * The settings the application would use for this server: its address, the default user's password
     * if it asks for one, its certificate authority if it speaks TLS.
     */
    public RedisSettings settings(String... allowedTypes) {
        RedisSettings settings = new RedisSettings(address(), Optional.empty(), Optional.ofNullable(options.password), 16, 1, 4,
                Duration.ofSeconds(2), List.of(allowedTypes));
        return options.tls == null ? settings : settings.withTlsCaFile(options.tls.authority());
    }

    /** The server's own log file (a process's; a container logs to Docker). */
    public Path log() {
        return dir.resolve("redis.log");
    }

    /** The process id of a redis-server process; -1 for a container or a stopped server. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** A Redisson client of this server, configured as the application configures its own. */
    public RedissonClient client(String... allowedTypes) {
        return client(settings(allowedTypes));
    }

    public static RedissonClient client(RedisSettings settings) {
        return Redisson.create(settings.toConfig(RedisServer.class.getClassLoader()));
    }

    public void stop() throws InterruptedException, IOException {
        if (container != null) {
            container.stop(); // stops and removes it, paused or not
            container = null;
            paused = false;
        }
        if (process != null) {
            if (paused) {
                resume(); // a stopped process would keep SIGTERM pending forever
            }
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    /** Freezes the server (SIGSTOP): connections stay open and nothing answers, as with a hung host. */
    public void pause() throws IOException, InterruptedException {
        if (container != null) {
            DockerClientFactory.instance().client().pauseContainerCmd(container.getContainerId()).exec();
        } else {
            signal("STOP");
        }
        paused = true;
    }

    /** Thaws a paused server (SIGCONT); it keeps its data and answers what was queued meanwhile. */
    public void resume() throws IOException, InterruptedException {
        if (container != null) {
            DockerClientFactory.instance().client().unpauseContainerCmd(container.getContainerId()).exec();
        } else {
            signal("CONT");
        }
        paused = false;
    }

    private void signal(String name) throws IOException, InterruptedException {
        if (process == null) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    public void restart() throws IOException, InterruptedException {
        stop();
        startProcess();
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stop();
    }

    private void startProcess() throws IOException, InterruptedException {
        if (Docker.available() && !processOnly) {
            startContainer();
            return;
        }
        List<String> command = new ArrayList<>(List.of("redis-server"));
        command.addAll(head);
        command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(options.tls == null ? List.of("--port", String.valueOf(port))
                : List.of("--port", "0", "--tls-port", String.valueOf(port)));
        command.addAll(options.arguments(Path::toString));
        command.addAll(tail);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(new File(dir.toFile(), "redis.log"))
                .start();
        awaitPort(port, Duration.ofSeconds(10));
    }

    @SuppressWarnings("resource") // stopped in stop()
    private void startContainer() {
        List<String> command = new ArrayList<>(List.of("redis-server", "--save", "", "--appendonly", "no"));
        if (options.tls != null) {
            command.addAll(List.of("--port", "0", "--tls-port", "6379"));
        }
        command.addAll(options.arguments(file -> "/larder/" + file.getFileName()));
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withCommand(command.toArray(String[]::new))
                .withExposedPorts(6379)
                .withCreateContainerCmdModifier(create -> create.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", port), ExposedPort.tcp(6379))))
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
        for (Path file : options.files()) {
            redis.withCopyFileToContainer(MountableFile.forHostPath(file, 0644), "/larder/" + file.getFileName());
        }
        redis.start();
        container = redis;
    }

    /** A port nothing listens on and that this JVM has never handed out before. */
    public static int freePort() {
        return fresh(RedisServer::ephemeralPort);
    }

    /** The first candidate not handed out before (bounded: 1000 candidates). */
    static int fresh(IntSupplier candidates) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int candidate = candidates.getAsInt();
            if (HANDED_OUT.add(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no fresh free port after 1000 attempts");
    }

    private static int ephemeralPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records a port that was bound otherwise (e.g. to port 0), so that {@link #freePort()} never hands it out. */
    static void handedOut(int port) {
        HANDED_OUT.add(port);
    }

    static void awaitPort(int port, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nothing listens on port " + port + " after " + timeout);
    }
}
