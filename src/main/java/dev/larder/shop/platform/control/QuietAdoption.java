package dev.larder.shop.platform.control;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Adopting a generated PostgreSQL schema, each {@code IF NOT EXISTS} of V1 that finds its object
 * sends a notice ("already exists, skipping"), which Flyway logs as a warning: ten warnings for an
 * expected outcome. This turns notices off for V1's own transaction only ({@code SET LOCAL}), so
 * nothing leaks into the pooled connection and later migrations keep theirs.
 */
final class QuietAdoption extends BaseCallback {

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
