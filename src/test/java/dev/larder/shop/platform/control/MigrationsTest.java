package dev.larder.shop.platform.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The migrations on fresh and existing databases, embedded H2 and PostgreSQL, without a server. Each
 * test makes databases of its own: H2 in memory, and {@code larder_mig_<random>} on the PostgreSQL at
 * {@code LARDER_IT_PG_HOST} (127.0.0.1:5432, user {@code LARDER_IT_PG_USER}, postgres), dropped after.
 * "Existing" means made by the DDL EclipseLink generated before Larder had migrations, captured in
 * {@code generated-ddl-<vendor>.sql} next to this class; V1 is that schema, later migrations add to it.
 */
class MigrationsTest {

    static final List<String> TABLES = List.of("category", "larder_applied_entries", "larder_cache_outbox", "order_line", "orders", "product");
    /** The history of a database the migrations made, and of one they adopted. */
    static final String[] CURRENT = {"1 larder schema: success", "2 categories: success"};
    static final String[] ADOPTED = {"0 schema made before migrations: success", "1 larder schema: success", "2 categories: success"};
    static final List<String> SEQUENCES = List.of("larder_cache_outbox_ids", "order_ids", "product_ids");

    private final List<TestDatabase> made = new ArrayList<>();

    @AfterEach
    void dropDatabases() throws SQLException {
        for (TestDatabase database : made) {
            database.drop();
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void createsTheSchemaOnAFreshDatabase(Vendor vendor) throws SQLException {
        DataSource db = fresh(vendor);

        MigrateResult result = migrate(db);

        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isEqualTo(2);
        assertThat(result.targetSchemaVersion).isEqualTo("2");
        assertThat(tables(db)).containsExactlyElementsOf(TABLES);
        assertThat(sequences(db)).containsExactlyElementsOf(SEQUENCES);
        assertThat(history(db)).containsExactly(CURRENT);
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void createsExactlyTheSchemaEclipseLinkGenerated(Vendor vendor) throws SQLException, IOException {
        DataSource migrated = fresh(vendor);
        migrate(migrated);
        DataSource generated = fresh(vendor);
        run(generated, vendor.generatedDdl());
        run(generated, laterMigrations());

        assertThat(describe(migrated)).isNotEmpty().isEqualTo(describe(generated));
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void adoptsADatabaseMadeByTheGeneratedDdlAndKeepsItsRows(Vendor vendor) throws SQLException, IOException {
        DataSource db = fresh(vendor);
        run(db, vendor.generatedDdl());
        DataSource expected = fresh(vendor);
        run(expected, vendor.generatedDdl());
        run(expected, laterMigrations());
        run(db, List.of("INSERT INTO product (id, category, createdat, name, pricecents, sku, stock, updatedat, version, viewcount)"
                + " VALUES (7, 'dairy', CURRENT_TIMESTAMP, 'Milk', 120, 'milk-1', 3, CURRENT_TIMESTAMP, 1, 0)"));

        MigrateResult result = migrate(db);

        assertThat(result.success).isTrue();
        assertThat(history(db)).containsExactly(ADOPTED);
        assertThat(describe(db)).isEqualTo(describe(expected));
        assertThat(query(db, "SELECT sku FROM product WHERE id = 7")).containsExactly("milk-1");
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void completesAnOlderGeneratedSchemaThatLacksTables(Vendor vendor) throws SQLException, IOException {
        DataSource db = fresh(vendor);
        run(db, vendor.generatedDdl().stream()
                .filter(s -> !s.toLowerCase(Locale.ROOT).contains("larder_applied_entries"))
                .toList());
        assertThat(tables(db)).doesNotContain("larder_applied_entries");

        migrate(db);

        assertThat(tables(db)).containsExactlyElementsOf(TABLES);
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void changesNothingOnADatabaseAlreadyAtTheCurrentVersion(Vendor vendor) throws SQLException {
        DataSource db = fresh(vendor);
        migrate(db);
        List<String> before = describe(db);

        MigrateResult again = migrate(db);

        assertThat(again.success).isTrue();
        assertThat(again.migrationsExecuted).isZero();
        assertThat(history(db)).containsExactly(CURRENT);
        assertThat(describe(db)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void sequencesHandOutBlocksOfFiftyAsTheEntitiesAllocateThem(Vendor vendor) throws SQLException {
        DataSource db = fresh(vendor);
        migrate(db);

        // allocationSize 50: EclipseLink takes a value N as the ids N-49..N, so the first block is 1..50
        assertThat(query(db, vendor.nextValue("product_ids"))).containsExactly("50");
        assertThat(query(db, vendor.nextValue("product_ids"))).containsExactly("100");
    }

    /** Without {@link MigrationLock} this failed now and then: Flyway's creation of its history table races. */
    @Test
    void instancesStartingAtOnceOnOneFreshPostgresDatabaseMigrateItOnce() throws Exception {
        DataSource db = fresh(Vendor.POSTGRESQL);

        List<MigrateResult> results = migrateAtOnce(6, Vendor.POSTGRESQL.sameDatabaseAs(db));

        assertThat(results).allMatch(r -> r.success);
        assertThat(results.stream().mapToInt(r -> r.migrationsExecuted).sum()).isEqualTo(2);
        assertThat(history(db)).containsExactly(CURRENT);
        assertThat(tables(db)).containsExactlyElementsOf(TABLES);
    }

    @Test
    void instancesStartingAtOnceOnOneGeneratedPostgresDatabaseAdoptItOnce() throws Exception {
        DataSource db = fresh(Vendor.POSTGRESQL);
        run(db, Vendor.POSTGRESQL.generatedDdl());

        List<MigrateResult> results = migrateAtOnce(6, Vendor.POSTGRESQL.sameDatabaseAs(db));

        assertThat(results).allMatch(r -> r.success);
        assertThat(history(db)).containsExactly(ADOPTED);
    }

    @Test
    void aMigrationWaitsWhileAnotherInstanceHoldsTheLock() throws Exception {
        DataSource db = fresh(Vendor.POSTGRESQL);
        DataSource other = Vendor.POSTGRESQL.sameDatabaseAs(db).get();
        ExecutorService instance = Executors.newSingleThreadExecutor();
        try {
            Future<MigrateResult> waiting;
            try (MigrationLock held = MigrationLock.take(db)) {
                waiting = instance.submit(() -> migrate(other));
                TimeUnit.MILLISECONDS.sleep(1500);

                assertThat(waiting).isNotDone();
                assertThat(query(db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")).containsExactly("0");
            }
            assertThat(waiting.get(30, TimeUnit.SECONDS).migrationsExecuted).isEqualTo(2);
        } finally {
            instance.shutdownNow();
        }
    }

    // --- fixtures

    private static MigrateResult migrate(DataSource db) {
        return Migrations.migrate(db, MigrationsTest.class.getClassLoader());
    }

    private static List<MigrateResult> migrateAtOnce(int instances, java.util.function.Supplier<DataSource> connect) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<MigrateResult>> running = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                DataSource own = connect.get();
                running.add(pool.submit(() -> {
                    go.await();
                    return migrate(own);
                }));
            }
            go.countDown();
            List<MigrateResult> results = new ArrayList<>();
            for (Future<MigrateResult> r : running) {
                results.add(r.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private DataSource fresh(Vendor vendor) throws SQLException {
        TestDatabase database = vendor.create();
        made.add(database);
        return database.dataSource();
    }

    enum Vendor {
        H2 {
            @Override
            TestDatabase create() {
                JdbcDataSource ds = new JdbcDataSource();
                ds.setURL("jdbc:h2:mem:larder_mig_" + random() + ";DB_CLOSE_DELAY=-1");
                ds.setUser("larder");
                ds.setPassword("larder");
                return new TestDatabase(ds, () -> run(ds, List.of("SHUTDOWN")));
            }

            @Override
            java.util.function.Supplier<DataSource> sameDatabaseAs(DataSource db) {
                return () -> db;
            }
        },
        POSTGRESQL {
            @Override
            TestDatabase create() throws SQLException {
                String name = "larder_mig_" + random();
                DataSource admin = postgres("postgres");
                run(admin, List.of("CREATE DATABASE " + name));
                return new TestDatabase(postgres(name), () -> run(admin, List.of("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")));
            }

            @Override
            java.util.function.Supplier<DataSource> sameDatabaseAs(DataSource db) {
                String name = ((PGSimpleDataSource) db).getDatabaseName();
                return () -> postgres(name);
            }

            @Override
            String nextValue(String sequence) {
                return "SELECT nextval('" + sequence + "')";
            }
        };

        abstract TestDatabase create() throws SQLException;

        abstract java.util.function.Supplier<DataSource> sameDatabaseAs(DataSource db);

        String nextValue(String sequence) {
            return "SELECT NEXT VALUE FOR " + sequence;
        }

        List<String> generatedDdl() throws IOException {
            String file = "generated-ddl-" + name().toLowerCase(Locale.ROOT) + ".sql";
            try (InputStream in = MigrationsTest.class.getResourceAsStream(file)) {
                return statements(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }

        private static String random() {
            return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        }

        private static PGSimpleDataSource postgres(String database) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setServerNames(new String[] {System.getenv().getOrDefault("LARDER_IT_PG_HOST", "127.0.0.1")});
            ds.setPortNumbers(new int[] {5432});
            ds.setDatabaseName(database);
            ds.setUser(System.getenv().getOrDefault("LARDER_IT_PG_USER", "postgres"));
            ds.setPassword("postgres");
            return ds;
        }
    }

    record TestDatabase(DataSource dataSource, Drop dropper) {
        void drop() throws SQLException {
            dropper.run();
        }
    }

    interface Drop {
        void run() throws SQLException;
    }

    // --- reading and writing schemas

    /** The migrations after V1 (which is EclipseLink's generated DDL), as SQL statements. */
    static List<String> laterMigrations() throws IOException {
        try (InputStream in = MigrationsTest.class.getResourceAsStream("/db/migration/V2__categories.sql")) {
            return statements(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static List<String> statements(String script) {
        StringBuilder sql = new StringBuilder();
        script.lines().filter(l -> !l.startsWith("--")).forEach(l -> sql.append(l).append('\n'));
        return java.util.Arrays.stream(sql.toString().split(";\\s*\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static void run(DataSource db, List<String> statements) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static List<String> query(DataSource db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    /**
     * Flyway's versioned history, one line per row (without the marker row it writes on H2 for the
     * schema); Flyway names its table and columns in quoted lower case on every database.
     */
    static List<String> history(DataSource db) throws SQLException {
        return query(db, "SELECT \"version\" || ' ' || \"description\" || ': ' || CASE WHEN \"success\" THEN 'success' ELSE 'failed' END"
                + " FROM \"" + Migrations.HISTORY_TABLE + "\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"");
    }

    static List<String> tables(DataSource db) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = db.getConnection(); ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String table = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (!table.equals(Migrations.HISTORY_TABLE)) {
                    tables.add(table);
                }
            }
        }
        return tables.stream().sorted().toList();
    }

    static List<String> sequences(DataSource db) throws SQLException {
        return query(db, "SELECT sequence_name FROM information_schema.sequences WHERE lower(sequence_schema) = 'public'").stream()
                .map(s -> s.toLowerCase(Locale.ROOT)).sorted().toList();
    }

    /**
     * Every table's columns (type, size, nullability), primary key, indexes and unique constraints (by
     * their columns: H2 names its own), foreign keys, and every sequence's start and increment;
     * Flyway's history table left out.
     */
    static List<String> describe(DataSource db) throws SQLException {
        List<String> facts = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String schema = c.getSchema();
            for (String table : tables(db)) {
                String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
                try (ResultSet rs = meta.getColumns(null, schema, name, "%")) {
                    while (rs.next()) {
                        facts.add(lower("%s.%s %s(%s) nullable=%s".formatted(table, rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"),
                                rs.getString("COLUMN_SIZE"), rs.getString("IS_NULLABLE"))));
                    }
                }
                facts.add(table + " primary key " + keyColumns(meta.getPrimaryKeys(null, schema, name), "KEY_SEQ"));
                TreeMap<String, TreeMap<Integer, String>> indexes = new TreeMap<>();
                TreeMap<String, Boolean> unique = new TreeMap<>();
                try (ResultSet rs = meta.getIndexInfo(null, schema, name, false, false)) {
                    while (rs.next()) {
                        if (rs.getString("INDEX_NAME") == null) {
                            continue;
                        }
                        indexes.computeIfAbsent(rs.getString("INDEX_NAME"), k -> new TreeMap<>())
                                .put(rs.getInt("ORDINAL_POSITION"), lower(rs.getString("COLUMN_NAME")));
                        unique.put(rs.getString("INDEX_NAME"), !rs.getBoolean("NON_UNIQUE"));
                    }
                }
                indexes.forEach((index, columns) -> facts.add(table + (unique.get(index) ? " unique index " : " index ") + columns.values()));
                try (ResultSet rs = meta.getImportedKeys(null, schema, name)) {
                    while (rs.next()) {
                        facts.add(lower("%s.%s references %s.%s".formatted(table, rs.getString("FKCOLUMN_NAME"), rs.getString("PKTABLE_NAME"),
                                rs.getString("PKCOLUMN_NAME"))));
                    }
                }
            }
        }
        for (String sequence : sequences(db)) {
            facts.addAll(query(db, "SELECT 'sequence ' || lower(sequence_name) || ' start ' || start_value || ' increment ' || increment"
                    + " FROM information_schema.sequences WHERE lower(sequence_name) = '" + sequence + "'"));
        }
        return facts.stream().sorted().toList();
    }

    private static String keyColumns(ResultSet rs, String order) throws SQLException {
        TreeMap<Integer, String> columns = new TreeMap<>();
        try (rs) {
            while (rs.next()) {
                columns.put(rs.getInt(order), lower(rs.getString("COLUMN_NAME")));
            }
        }
        return columns.values().toString();
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
