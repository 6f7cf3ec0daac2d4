package dev.larder.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The boot of a Payara Micro console log: its records from the first line up to Payara's
 * "Payara Micro ... ready in ... (ms)", which it logs once the application is deployed and every
 * start-up observer has run. A record is one line in Payara's format ({@code [time] [] [LEVEL]
 * [message id] [logger] [tid: ...] ... message}, levels and loggers possibly in colour) with the
 * lines that follow it until the next record (a multi-line message, a stack trace).
 */
public final class BootLog {

    private static final Pattern COLOUR = Pattern.compile("\u001B\\[[0-9;]*m");
    private static final Pattern RECORD = Pattern.compile("^\\[[^\\]]*\\] \\[[^\\]]*\\] \\[([A-Z]+)\\] \\[([^\\]]*)\\] \\[([^\\]]*)\\]");
    private static final Pattern READY = Pattern.compile("Payara Micro .* ready in [0-9,.]+ \\(ms\\)");
    private static final Pattern FRAME = Pattern.compile("^\\s+at (\\S+)\\(");

    /** One record: level, message id (often empty), logger, first line, and the lines after it. */
    public record Entry(String level, String messageId, String logger, String head, List<String> rest) {

        /**
         * Payara's own warnings at a healthy boot of Larder, each with its cause (the README lists
         * them): expired certificates in the trust store Payara ships; Payara's JDBC leak check,
         * which, run on the deployment's throw-away class loader, is the first code of the JVM to
         * ask {@code DriverManager} for drivers, so that it loads the PostgreSQL driver of
         * {@code WEB-INF/lib} through that loader and then reports and unregisters it; and Payara's
         * Hazelcast member (started even with {@code --nohazelcast}) finding its port 6900 taken by
         * another server on the same host.
         */
        public boolean knownFromPayara() {
            return messageId.equals("NCLS-SECURITY-05054")
                    || logger.equals("jakarta.enterprise.web.util") && head.contains("registered the JDBC driver [org.postgresql.Driver]")
                    || logger.startsWith("com.hazelcast.") && head.contains("Some of the ports seem occupied");
        }

        boolean problem() {
            return level.equals("WARNING") || level.equals("SEVERE");
        }

        boolean hasFrameIn(String packagePrefix) {
            return rest.stream().map(FRAME::matcher).anyMatch(m -> m.find() && m.group(1).startsWith(packagePrefix));
        }
    }

    private final List<Entry> entries;
    private final boolean finished;

    private BootLog(List<Entry> entries, boolean finished) {
        this.entries = entries;
        this.finished = finished;
    }

    public static BootLog read(Path log) throws IOException {
        return of(Files.readAllLines(log, StandardCharsets.ISO_8859_1)); // never fails on odd bytes
    }

    public static BootLog of(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        Entry current = null;
        for (String raw : lines) {
            String line = COLOUR.matcher(raw).replaceAll("");
            Matcher record = RECORD.matcher(line);
            if (record.find()) {
                if (current != null && READY.matcher(current.head()).find()) {
                    return new BootLog(entries, true);
                }
                current = new Entry(record.group(1), record.group(2), record.group(3), line, new ArrayList<>());
                entries.add(current);
            } else if (current != null) {
                current.rest().add(line);
            }
        }
        boolean finished = current != null && READY.matcher(current.head()).find();
        return new BootLog(entries, finished);
    }

    /** Whether the log reached Payara's "ready" line (else it holds only part of a boot). */
    public boolean finished() {
        return finished;
    }

    public List<Entry> entries() {
        return entries;
    }

    /**
     * What Larder's side did wrong during the boot: every WARNING or SEVERE record of a logger in
     * {@code packagePrefix}, and every record of any logger and level whose stack trace passes
     * through {@code packagePrefix}; each by its first line.
     */
    public List<String> problemsOf(String packagePrefix) {
        return entries.stream()
                .filter(e -> e.problem() && e.logger().startsWith(packagePrefix) || e.hasFrameIn(packagePrefix))
                .map(Entry::head)
                .toList();
    }

    /** Every WARNING or SEVERE record of the boot, of any logger. */
    public List<Entry> warnings() {
        return entries.stream().filter(Entry::problem).toList();
    }

    /** The first record whose first line contains {@code text}. */
    public Optional<Entry> find(String text) {
        return entries.stream().filter(e -> e.head().contains(text)).findFirst();
    }
}
