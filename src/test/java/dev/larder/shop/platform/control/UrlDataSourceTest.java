package dev.larder.shop.platform.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class UrlDataSourceTest {

    @Test
    void theUrlChoosesTheDriver() {
        assertThat(UrlDataSource.forUrl("jdbc:postgresql://db:5432/shop", "u", "p")).isInstanceOf(PGSimpleDataSource.class);
        assertThat(UrlDataSource.forUrl("jdbc:h2:mem:x", "u", "p")).isInstanceOf(JdbcDataSource.class);
        assertThatThrownBy(() -> UrlDataSource.forUrl("jdbc:oracle:thin:@x", "u", "p")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectsWithThePropertiesPayaraSets() throws Exception {
        UrlDataSource dataSource = new UrlDataSource();
        dataSource.setURL("jdbc:h2:mem:url_data_source_test");
        dataSource.setUser("larder");
        dataSource.setPassword("larder");

        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("H2");
            assertThat(connection.getMetaData().getUserName()).isEqualToIgnoringCase("larder");
        }
        assertThat(dataSource.isWrapperFor(JdbcDataSource.class)).isTrue();
    }
}
