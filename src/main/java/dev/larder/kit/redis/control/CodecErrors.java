package dev.larder.kit.redis.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;

/**
 * Values that could not be encoded to or decoded from Redis JSON: a bug or a deployment mismatch,
 * not an outage. Each distinct cause is logged once, as a SEVERE line naming the type, and every
 * occurrence is counted ({@code larder_cache_codec_errors_total}).
 */
@ApplicationScoped
public class CodecErrors {

    private static final Logger LOG = Logger.getLogger(CodecErrors.class.getName());
    private static final int MAX_REMEMBERED = 1_000;

    private final LongAdder count = new LongAdder();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    /** Absent when wired by hand (unit tests). */
    @Inject
    MetricRegistry metrics;

    private Counter counter;

    /** Registers the counter at deployment, so that {@code /metrics} shows it (0) before the first error. */
    void deployed(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // creating this bean (for this observer) ran register()
    }

    @PostConstruct
    void register() {
        counter = metrics.counter(Metadata.builder().withName("larder.cache.codec.errors")
                .withDescription("Values that could not go through the Redis JSON codec (bugs or version mismatches, not outages)")
                .withUnit(MetricUnits.NONE).build());
    }

    /** Counts a codec error met while trying to {@code action}, and logs its kind the first time. */
    public void record(String action, RedisFailures.CodecError error) {
        count.increment();
        if (counter != null) {
            counter.inc();
        }
        String subject = error.getMessage();
        String kind = subject.contains(": ") ? subject.substring(0, subject.indexOf(": ") + 2)
                + subject.substring(subject.indexOf(": ") + 2).split("[ (\"]", 2)[0] : subject;
        if (logged.size() < MAX_REMEMBERED && logged.add(kind)) {
            LOG.log(Level.SEVERE, "A value could not go through the Redis JSON codec while trying to " + action
                    + " (" + subject + "); the entry is skipped or replaced, Redis itself is fine."
                    + " Add the type to larder.redis.codec.allowed-types or make it a plain record.", error);
        }
    }

    public long total() {
        return count.sum();
    }
}
