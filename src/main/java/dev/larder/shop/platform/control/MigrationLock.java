package dev.larder.shop.platform.control;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;

/**
 * Larder's lock around a whole migration run, so that instances starting at once on one database
 * migrate one after the other: on PostgreSQL a session-level advisory lock held on a connection of its
 * own until {@link #close()} (the database drops it if the instance dies), with a key of Larder's own,
 * apart from the one Flyway takes inside the run. On H2 nothing: the embedded database belongs to one
 * instance. Taking the lock waits for a database that is still starting (1, 2, 4, 8, 10, 10 s).
 */
final class MigrationLock implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MigrationLock.class.getName());
    static final long KEY = 0x4C41524445524D47L; // "LARDERMG"
    private static final List<Duration> RETRIES = List.of(1, 2, 4, 8, 10, 10).stream().map(Duration::ofSeconds).toList();

    private final Connection connection;
    private final boolean advisory;

    private MigrationLock(Connection connection, boolean advisory) {
        this.connection = connection;
        this.advisory = advisory;
    }

    static MigrationLock take(DataSource dataSource) {
        Connection connection = connect(dataSource);
        try {
            boolean postgres = connection.getMetaData().getDatabaseProductName().startsWith("PostgreSQL");
            if (postgres) {
                execute(connection, "SELECT pg_advisory_lock(" + KEY + ")");
            }
            return new MigrationLock(connection, postgres);
        } catch (SQLException e) {
            closeQuietly(connection, e);
            throw new FlywayException("Could not take the migration lock", e);
        }
    }

    @Override
    public void close() {
        try (connection) {
            if (advisory) {
                execute(connection, "SELECT pg_advisory_unlock(" + KEY + ")");
            }
        } catch (SQLException e) {
            throw new FlywayException("Could not release the migration lock", e);
        }
    }

    private static Connection connect(DataSource dataSource) {
        for (Duration wait : RETRIES) {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                LOG.warning(() -> "Database not reachable (" + e.getMessage() + "); retrying in " + wait.toSeconds() + " s");
                sleep(wait);
            }
        }
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new FlywayException("Database not reachable; giving up", e);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlywayException("Interrupted while waiting for the database", e);
        }
    }

    private static void closeQuietly(Connection connection, SQLException cause) {
        try {
            connection.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
