package dev.larder.shop.platform.control;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The data source class of {@code java:app/jdbc/larder}: the JDBC URL chooses the driver's own data
 * source, PostgreSQL's ({@code jdbc:postgresql:}, the driver in {@code WEB-INF/lib}) or H2's
 * ({@code jdbc:h2:}, the one Payara ships), so that the URL alone switches databases. Payara sets
 * {@code URL}, {@code user} and {@code password} on it as bean properties and pools its connections.
 *
 * <p>Why a class of Larder's own rather than a configured class name: Payara resolves the data
 * source's settings once during deployment with the server's configuration only, where the WAR's
 * defaults are not visible, and it keeps what it found then; a class name derived from the URL in the
 * WAR's configuration was either missing there (a warning at every boot) or, given a default, wrong
 * for PostgreSQL.
 */
public class UrlDataSource implements DataSource {

    private String url;
    private String user;
    private String password;
    private DataSource target;

    /** The data source of the driver that {@code url} names; an {@link IllegalArgumentException} for any other database. */
    static DataSource forUrl(String url, String user, String password) {
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource postgres = new PGSimpleDataSource();
            postgres.setURL(url);
            postgres.setUser(user);
            postgres.setPassword(password);
            return postgres;
        }
        if (url != null && url.startsWith("jdbc:h2:")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            h2.setUser(user);
            h2.setPassword(password);
            return h2;
        }
        throw new IllegalArgumentException("larder.db.url must be a jdbc:postgresql: or jdbc:h2: URL, not " + url);
    }

    private synchronized DataSource target() {
        if (target == null) {
            target = forUrl(url, user, password);
        }
        return target;
    }

    public synchronized void setURL(String url) {
        this.url = url;
        target = null;
    }

    public void setUrl(String url) {
        setURL(url);
    }

    public synchronized String getURL() {
        return url;
    }

    public synchronized void setUser(String user) {
        this.user = user;
        target = null;
    }

    public synchronized void setPassword(String password) {
        this.password = password;
        target = null;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return target().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return target().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target().getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : target().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || target().isWrapperFor(type);
    }
}
