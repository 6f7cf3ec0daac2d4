package dev.larder.shop.platform.control;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database to the schema this build needs (Flyway, {@code db/migration}) when the
 * application is deployed, before any other start-up step: it observes the deployment with the
 * earliest priority there is, ahead of the Redis client ({@code RedisConnection.FIRST}) and of
 * everything that reads or writes a table (seeding, write-behind, relays, sweeps). A failed migration
 * fails the deployment with its reason.
 *
 * <p>Several instances may start at once on one PostgreSQL database: each runs Flyway only while it
 * holds a PostgreSQL advisory lock of Larder's own ({@link MigrationLock}), so one instance migrates
 * and the others wait, then find the schema current and go on. Flyway's own advisory lock covers
 * applying migrations but not the creation of its history table before that: four instances on a
 * fresh database raced there, and one failed ("Unable to baseline ... as it already exists, and is
 * empty"). A database made by EclipseLink's generated DDL (before migrations) is baselined at version
 * 0 and then migrated: V1 creates only what is missing (every statement is {@code IF NOT EXISTS}).
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
        try (MigrationLock held = MigrationLock.take(dataSource)) {
            return flyway(dataSource, classLoader).migrate();
        }
    }

    private static Flyway flyway(DataSource dataSource, ClassLoader classLoader) {
        return Flyway.configure(classLoader)
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .table(HISTORY_TABLE)
                // a schema with tables but no history was made by the generated DDL: adopt it at 0, then run V1
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("schema made before migrations")
                .callbacks(new QuietAdoption())
                .load();
    }

    private static String schemaVersion(MigrateResult result) {
        return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
    }
}
