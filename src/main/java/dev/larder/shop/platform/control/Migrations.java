package dev.larder.shop.platform.control;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.logging.Logger;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database to the schema this build needs (Flyway, {@code db/migration}) when the
 * application is deployed, before any other start-up step: it observes the deployment with the
 * earliest priority there is, ahead of the Redis client ({@code RedisConnection.FIRST}) and of
 * everything that reads or writes a table (seeding, write-behind, relays, sweeps). A failed migration
 * fails the deployment with its reason.
 *
 * <p>Several instances may start at once on one PostgreSQL database: Flyway holds a PostgreSQL
 * advisory lock ({@code pg_advisory_lock}) for the whole migration, so one instance migrates and the
 * others wait, then find the schema current and go on. A database made by EclipseLink's generated
 * DDL (before migrations) is baselined at version 0 and then migrated: V1 creates only what is
 * missing (every statement is {@code IF NOT EXISTS}).
 */
@ApplicationScoped
public class Migrations {

    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

    /** Flyway's history table: Larder's own name, so it never meets another application's Flyway in a shared schema. */
    public static final String HISTORY_TABLE = "larder_schema_history";

    @Resource(lookup = "java:app/jdbc/larder")
    DataSource dataSource;

    void migrate(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) @Initialized(ApplicationScoped.class) Object deployed) {
        MigrateResult result = migrate(dataSource, Migrations.class.getClassLoader());
        LOG.info(() -> "Database schema at version " + schemaVersion(result) + " (" + result.migrationsExecuted
                + " migration(s) applied now)");
    }

    /** Migrates the database behind {@code dataSource} with the migrations {@code classLoader} sees. */
    public static MigrateResult migrate(DataSource dataSource, ClassLoader classLoader) {
        return Flyway.configure(classLoader)
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .table(HISTORY_TABLE)
                // a schema with tables but no history was made by the generated DDL: adopt it at 0, then run V1
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("schema made before migrations")
                // the database may still be starting next to us: retry after 1, 2, 4, 8, 10, 10 s, then fail the deployment
                .connectRetries(6)
                .connectRetriesInterval(10)
                .callbacks(new QuietAdoption())
                .load()
                .migrate();
    }

    /**
     * Adopting a generated PostgreSQL schema, each {@code IF NOT EXISTS} of V1 that finds its object
     * sends a notice ("already exists, skipping"), which Flyway logs as a warning: ten warnings for an
     * expected outcome. This turns notices off for V1's own transaction only ({@code SET LOCAL}), so
     * nothing leaks into the pooled connection and later migrations keep theirs.
     */
    static final class QuietAdoption extends BaseCallback {

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE && context.getMigrationInfo() != null
                    && MigrationVersion.fromVersion("1").equals(context.getMigrationInfo().getVersion());
        }

        @Override
        public void handle(Event event, Context context) {
            Connection connection = context.getConnection();
            try (Statement statement = connection.createStatement()) {
                if (connection.getMetaData().getDatabaseProductName().startsWith("PostgreSQL")) {
                    statement.execute("SET LOCAL client_min_messages = warning");
                }
            } catch (SQLException e) {
                throw new FlywayException("Could not quiet the notices of V1", e);
            }
        }
    }

    private static String schemaVersion(MigrateResult result) {
        return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
    }
}
