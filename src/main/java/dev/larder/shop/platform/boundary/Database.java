package dev.larder.shop.platform.boundary;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The shop's data source. Its settings are MicroProfile Config expressions, so that
 * {@code LARDER_DB_URL}, {@code LARDER_DB_USER} and {@code LARDER_DB_PASSWORD} alone switch from
 * the embedded H2 (Payara's own) to PostgreSQL; the driver follows from the URL
 * ({@link dev.larder.shop.platform.control.UrlDataSource}).
 *
 * <p>Each expression also names its default ({@code ${MPCONFIG=key:default}}, the values of
 * {@code microprofile-config.properties}): Payara resolves these settings during deployment with the
 * server's configuration only (environment and system properties, not the WAR's defaults); without a
 * default it logged "no value found" for each at every boot.
 */
@ApplicationScoped
@DataSourceDefinition(
        name = "java:app/jdbc/larder",
        className = "dev.larder.shop.platform.control.UrlDataSource",
        url = "${MPCONFIG=larder.db.url:jdbc:h2:mem:larder;DB_CLOSE_DELAY=-1}",
        user = "${MPCONFIG=larder.db.user:larder}",
        password = "${MPCONFIG=larder.db.password:larder}",
        minPoolSize = 2,
        maxPoolSize = 32)
public class Database {
}
