package dev.larder.shop.platform.boundary;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The shop's data source. Its settings are MicroProfile Config expressions, so that
 * {@code LARDER_DB_URL}, {@code LARDER_DB_USER} and {@code LARDER_DB_PASSWORD} alone switch from
 * the embedded H2 (Payara's own) to PostgreSQL; the data source class follows from the URL
 * (see {@link dev.larder.shop.platform.control.DatabaseDriverSource}).
 *
 * <p>Each expression also names its default ({@code ${MPCONFIG=key:default}}, the values of
 * {@code microprofile-config.properties}): Payara resolves these settings once during deployment with
 * the server's configuration only (environment and system properties, not the WAR's defaults nor
 * {@code DatabaseDriverSource}); without a default it logged "no value found" for each and then
 * "RAR8068: Using default datasource". The data source itself is made later with the application's
 * configuration, so the URL still chooses the driver.
 */
@ApplicationScoped
@DataSourceDefinition(
        name = "java:app/jdbc/larder",
        className = "${MPCONFIG=larder.db.class:org.h2.jdbcx.JdbcDataSource}",
        url = "${MPCONFIG=larder.db.url:jdbc:h2:mem:larder;DB_CLOSE_DELAY=-1}",
        user = "${MPCONFIG=larder.db.user:larder}",
        password = "${MPCONFIG=larder.db.password:larder}",
        minPoolSize = 2,
        maxPoolSize = 32)
public class Database {
}
