package dev.larder.shop.platform.control;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies {@code larder.db.class}, the data source class, from the JDBC URL that the operator
 * configured ({@code larder.db.url} as a system property or {@code LARDER_DB_URL} in the
 * environment), so that the URL alone chooses the driver. Its ordinal is below the defaults file's,
 * so an explicit {@code larder.db.class} anywhere still wins.
 */
public class DatabaseDriverSource implements ConfigSource {

    static final String KEY = "larder.db.class";
    static final Map<String, String> BY_URL_PREFIX = Map.of(
            "jdbc:postgresql:", "org.postgresql.ds.PGSimpleDataSource",
            "jdbc:h2:", "org.h2.jdbcx.JdbcDataSource");

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(KEY);
    }

    @Override
    public String getValue(String name) {
        if (!KEY.equals(name)) {
            return null;
        }
        return dataSourceFor(configuredUrl().orElse("jdbc:h2:"));
    }

    static String dataSourceFor(String url) {
        return BY_URL_PREFIX.entrySet().stream()
                .filter(e -> url.startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    private static Optional<String> configuredUrl() {
        return Optional.ofNullable(System.getProperty("larder.db.url")).or(() -> Optional.ofNullable(System.getenv("LARDER_DB_URL")));
    }

    @Override
    public String getName() {
        return "larder-database-driver";
    }

    @Override
    public int getOrdinal() {
        return 90;
    }
}
