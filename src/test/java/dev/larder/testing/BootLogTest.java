package dev.larder.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BootLog} on lines as Payara Micro 6 writes them to its console (colours included). */
class BootLogTest {

    static String record(String level, String logger, String message) {
        String colour = level.equals("INFO") ? "1;92m" : "1;93m";
        return "[2026-11-30T08:48:43.182+0000] [] [\u001B[" + colour + level + "\u001B[0m] [] [\u001B[1;94m" + logger
                + "\u001B[0m] [tid: _ThreadID=1 _ThreadName=main] [timeMillis: 1796028523182] [levelValue: 900] " + message;
    }

    static final String READY = record("INFO", "PayaraMicro", "Payara Micro 6.2025.10 (build 42) ready in 14,033 (ms)");

    static List<String> boot(String... middle) {
        List<String> lines = new ArrayList<>();
        lines.add(record("INFO", "PayaraMicro", "Payara Micro Runtime directory is located at /tmp/root"));
        lines.add("");
        lines.add(record("WARNING", "javax.enterprise.system.security.ssl", "[[").replace("[] [\u001B[1;94m", "[NCLS-SECURITY-05054] [\u001B[1;94m"));
        lines.add("  The SSL certificate with alias cert_7_entrust_root_certification_authority7 has expired: [");
        lines.add("]]");
        lines.addAll(List.of(middle));
        lines.add(record("INFO", "dev.larder.kit.redis.control.RedisConnection", "Redis: redis://127.0.0.1:18481, timeout 1000 ms"));
        lines.add(READY);
        lines.add("");
        return lines;
    }

    @Test
    void aHealthyBootHasNoProblemsOfLarderEvenWithPayarasOwnWarnings() {
        BootLog log = BootLog.of(boot());

        assertThat(log.finished()).isTrue();
        assertThat(log.problemsOf("dev.larder")).isEmpty();
        assertThat(log.entries()).extracting(BootLog.Entry::level).containsExactly("INFO", "WARNING", "INFO", "INFO");
        assertThat(log.warnings()).singleElement().satisfies(w -> assertThat(w.knownFromPayara()).isTrue());
    }

    @Test
    void warningsCausedByLardersSetUpAreNotPayarasOwn() {
        BootLog log = BootLog.of(boot(
                record("WARNING", "org.eclipse.persistence.session./file:/tmp/root/applications/larder/WEB-INF/classes/_larder", "[["),
                "Internal Exception: org.h2.jdbc.JdbcSQLSyntaxErrorException: Sequence \"PRODUCT_IDS\" not found; SQL statement:", "]]",
                record("WARNING", "", "MicroProfile Config: property 'larder.db.class': no value found, no default given."),
                record("WARNING", "jakarta.enterprise.web.util", "The web application [unknown] registered the JDBC driver"
                        + " [org.postgresql.Driver] but failed to unregister it when the web application was stopped.")));

        assertThat(log.warnings()).filteredOn(w -> !w.knownFromPayara()).extracting(BootLog.Entry::logger)
                .containsExactly("org.eclipse.persistence.session./file:/tmp/root/applications/larder/WEB-INF/classes/_larder", "");
    }

    @Test
    void findsAWarningOrSevereRecordOfALarderLogger() {
        String warning = record("WARNING", "dev.larder.shop.catalog.control.DemoProducts", "Demo products not seeded by this instance");
        String severe = record("SEVERE", "dev.larder.kit.caching.control.OutboxRelay", "Could not relay");

        BootLog log = BootLog.of(boot(warning, "java.lang.IllegalStateException: boom", severe));

        assertThat(log.problemsOf("dev.larder")).containsExactly(stripped(warning), stripped(severe));
    }

    @Test
    void findsAStackTraceThroughLarderInAnotherLoggersRecord() {
        String weld = record("INFO", "org.jboss.weld.Bootstrap", "[[");

        BootLog log = BootLog.of(boot(weld, "java.lang.IllegalStateException: boom",
                "\tat dev.larder.shop.catalog.control.DemoProducts.seed(DemoProducts.java:40)",
                "\tat org.jboss.weld.injection.MethodInjectionPoint.invoke(MethodInjectionPoint.java:95)", "]]"));

        assertThat(log.problemsOf("dev.larder")).containsExactly(stripped(weld));
    }

    @Test
    void ignoresWhatComesAfterTheBoot() {
        List<String> lines = boot();
        lines.add(record("WARNING", "dev.larder.kit.redis.control.RedisBreaker", "Redis unavailable: the breaker opens"));

        BootLog log = BootLog.of(lines);

        assertThat(log.finished()).isTrue();
        assertThat(log.problemsOf("dev.larder")).isEmpty();
    }

    @Test
    void aLogThatStopsBeforeReadyIsNotFinished() {
        List<String> lines = boot();
        lines.remove(READY);

        assertThat(BootLog.of(lines).finished()).isFalse();
    }

    private static String stripped(String line) {
        return line.replaceAll("\u001B\\[[0-9;]*m", "");
    }
}
