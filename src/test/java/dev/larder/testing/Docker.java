package dev.larder.testing;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.testcontainers.DockerClientFactory;

/**
 * Whether the tests' own servers ({@link RedisServer}, {@link PostgresDatabase}) run as containers:
 * only where a Docker engine answers Testcontainers' {@link DockerClientFactory} check; otherwise
 * they are local processes ({@code redis-server}) and databases on the machine's PostgreSQL. Decided
 * once per test JVM and said once in its log, so a run shows which path it took.
 */
public final class Docker {

    private static final Logger LOG = Logger.getLogger(Docker.class.getName());
    /** Kept strongly reachable while its level is changed: java.util.logging holds loggers weakly. */
    private static final Logger TESTCONTAINERS = Logger.getLogger("org.testcontainers");
    private static Boolean available;

    private Docker() {
    }

    public static synchronized boolean available() {
        if (available == null) {
            available = answers();
            LOG.info(available
                    ? "A Docker engine answers: this JVM's test Redis servers and PostgreSQL databases run in containers (Testcontainers)"
                    : "No Docker engine answers: this JVM's test Redis servers are local redis-server processes and its"
                    + " PostgreSQL databases are created on the machine's PostgreSQL");
        }
        return available;
    }

    /**
     * Testcontainers' own check. Where no engine is configured at all it would log every strategy it
     * tried as an error; that is the expected case on machines without Docker, so it is kept quiet.
     */
    private static boolean answers() {
        Level before = TESTCONTAINERS.getLevel();
        TESTCONTAINERS.setLevel(Level.OFF);
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        } finally {
            TESTCONTAINERS.setLevel(before);
        }
    }
}
