package dev.larder.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * An empty PostgreSQL database of a test's own, dropped on {@link #close()}: where a Docker engine
 * answers ({@link Docker}) a container of the official image, otherwise a database
 * {@code larder_it_<n>} created on the machine's PostgreSQL ({@code LARDER_IT_PG_HOST}, default
 * 127.0.0.1:5432, user {@code LARDER_IT_PG_USER}, default {@code postgres}, as {@code it-env.sh}),
 * with a number this JVM never hands out twice. It never drops a database it did not create.
 */
public final class PostgresDatabase implements AutoCloseable {

    static final String IMAGE = "postgres:17";

    private final String url;
    private final String user;
    private final String password;
    private final AutoCloseable dropper;

    private PostgresDatabase(String url, String user, String password, AutoCloseable dropper) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.dropper = dropper;
    }

    public static PostgresDatabase create() throws SQLException {
        return Docker.available() ? inContainer() : onTheMachinesServer();
    }

    @SuppressWarnings("resource") // stopped by close()
    private static PostgresDatabase inContainer() {
        PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(IMAGE));
        postgres.start();
        return new PostgresDatabase(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword(), postgres::stop);
    }

    private static PostgresDatabase onTheMachinesServer() throws SQLException {
        String host = env("LARDER_IT_PG_HOST", "127.0.0.1");
        String user = env("LARDER_IT_PG_USER", "postgres");
        String password = env("LARDER_IT_PG_PASSWORD", "postgres");
        String admin = "jdbc:postgresql://" + host + ":5432/postgres";
        String name = "larder_it_" + RedisServer.freePort();
        execute(admin, user, password, "CREATE DATABASE " + name);
        return new PostgresDatabase("jdbc:postgresql://" + host + ":5432/" + name, user, password,
                () -> execute(admin, user, password, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    @Override
    public void close() throws Exception {
        dropper.close();
    }

    private static void execute(String url, String user, String password, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank()).orElse(fallback);
    }
}
