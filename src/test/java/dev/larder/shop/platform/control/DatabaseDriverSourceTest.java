package dev.larder.shop.platform.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseDriverSourceTest {

    @Test
    void theUrlChoosesTheDataSourceClass() {
        assertThat(DatabaseDriverSource.dataSourceFor("jdbc:postgresql://db:5432/shop")).isEqualTo("org.postgresql.ds.PGSimpleDataSource");
        assertThat(DatabaseDriverSource.dataSourceFor("jdbc:h2:mem:x")).isEqualTo("org.h2.jdbcx.JdbcDataSource");
        assertThat(DatabaseDriverSource.dataSourceFor("jdbc:oracle:thin:@x")).isNull();
    }

    @Test
    void answersOnlyForItsOwnKeyAndRanksBelowTheDefaultsFile() {
        DatabaseDriverSource source = new DatabaseDriverSource();
        assertThat(source.getValue("larder.db.url")).isNull();
        assertThat(source.getValue("larder.db.class")).isNotNull();
        assertThat(source.getOrdinal()).isLessThan(100);
    }
}
