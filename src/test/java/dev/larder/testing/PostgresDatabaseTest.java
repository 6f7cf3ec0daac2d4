package dev.larder.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** A test's own PostgreSQL database: empty, usable, and gone after close. */
class PostgresDatabaseTest {

    @Test
    void anOwnDatabaseStartsEmptyAndIsGoneAfterClose() throws Exception {
        PostgresDatabase database = PostgresDatabase.create();
        try (database; Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            try (ResultSet tables = sql.executeQuery("select count(*) from information_schema.tables where table_schema = 'public'")) {
                tables.next();
                assertThat(tables.getInt(1)).isZero();
            }
            sql.execute("create table shelf (name varchar(20) primary key)");
            sql.execute("insert into shelf values ('flour')");
        }

        assertThatThrownBy(database::connect).isInstanceOf(SQLException.class);
    }
}
