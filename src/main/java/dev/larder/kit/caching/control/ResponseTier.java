package dev.larder.kit.caching.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.larder.kit.redis.control.Stamped;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The response tier: serialised answers of {@code @CachedResponse} resources, kept in memory beside
 * the near-cache entries they were made from, keyed by request URI. An answer is served only while
 * every entry it was made from is still, by identity, the one in its near cache and that near cache
 * is usable (bus live, breaker closed): any invalidation that drops such an entry (a write here, a
 * message on the bus, the outbox relay, a lost bus, the near TTL) ends the answer with it, so the
 * tier is never older than the value cache. Redis keeps what it keeps without it (readable JSON).
 *
 * <p>Recording: the response-tier filter opens a recording for a {@code GET}; every {@code @CacheResult}
 * read on the request thread adds to it: a near-cache hit as a source, anything else (a Redis hit, a
 * load, a bypass) spoils it. The JAX-RS capture renders the entity once into bytes; the filter keeps
 * them only if the answer is a 200 without a cookie and the recording is unspoiled.
 *
 * <p>Configuration: {@code larder.caching.responses.enabled} (true), {@code larder.caching.responses.max-size}
 * (10,000 URIs), {@code larder.caching.responses.ttl} (1 minute; the near entries' own TTL bounds it too).
 */
@ApplicationScoped
public class ResponseTier {

    private static final ThreadLocal<Recording> RECORDING = new ThreadLocal<>();

    private final boolean enabled;
    private final Cache<String, Rendered> answers;

    public ResponseTier() {
        Config config = ConfigProvider.getConfig(ResponseTier.class.getClassLoader());
        this.enabled = config.getOptionalValue("larder.caching.responses.enabled", Boolean.class).orElse(true);
        this.answers = Caffeine.newBuilder()
                .maximumSize(config.getOptionalValue("larder.caching.responses.max-size", Long.class).orElse(10_000L))
                .expireAfterWrite(config.getOptionalValue("larder.caching.responses.ttl", String.class)
                        .map(Duration::parse).orElse(Duration.ofMinutes(1)))
                .build();
    }

    public boolean enabled() {
        return enabled;
    }

    /** The kept answer for {@code uri} if it is still current, else null. */
    public Rendered current(String uri) {
        Rendered rendered = answers.getIfPresent(uri);
        if (rendered == null) {
            return null;
        }
        if (!rendered.current()) {
            answers.asMap().remove(uri, rendered);
            return null;
        }
        return rendered;
    }

    /** Counts an answer given from the tier, as a response hit of the cache of its first entry. */
    public void served(Rendered rendered) {
        rendered.sources()[0].cache().statistics.responseHits.increment();
    }

    /** Keeps what {@code recording} rendered for {@code uri}, if it was made from near-cache entries only and they still hold. */
    public void keep(String uri, Recording recording) {
        Rendered rendered = recording.rendered();
        if (enabled && rendered != null && rendered.current()) {
            answers.put(uri, rendered);
        }
    }

    /** Starts recording the cache reads of this thread's request. */
    public static Recording record() {
        Recording recording = new Recording();
        RECORDING.set(recording);
        return recording;
    }

    public static void stopRecording() {
        RECORDING.remove();
    }

    /** The recording of this thread's request, or null. */
    public static Recording recording() {
        return RECORDING.get();
    }

    static void nearHit(NamedCache cache, String field, Stamped source) {
        Recording recording = RECORDING.get();
        if (recording != null) {
            recording.sources.add(new Source(cache, field, source));
        }
    }

    /** A read that did not come from the near cache: its answer may not be kept. */
    static void notNear() {
        Recording recording = RECORDING.get();
        if (recording != null) {
            recording.spoiled = true;
        }
    }

    /** One near-cache entry an answer was made from. */
    record Source(NamedCache cache, String field, Stamped entry) {
        boolean holds() {
            return cache.nearHolds(field, entry);
        }
    }

    /** A kept answer: its bytes, content type, entity tag, and the entries it was made from. */
    public record Rendered(byte[] body, String contentType, String etag, Source[] sources) {
        boolean current() {
            for (Source source : sources) {
                if (!source.holds()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** What one request read and rendered. */
    public static final class Recording {
        private final List<Source> sources = new ArrayList<>(1);
        private boolean spoiled;
        private Rendered rendered;

        /** True while every read so far came from the near cache (and there was at least one). */
        public boolean keepable() {
            return !spoiled && !sources.isEmpty();
        }

        /** The answer's bytes, as the capture rendered them. */
        public void rendered(byte[] body, String contentType, String etag) {
            if (keepable()) {
                rendered = new Rendered(body, contentType, etag, sources.toArray(Source[]::new));
            }
        }

        Rendered rendered() {
            return keepable() ? rendered : null;
        }
    }
}
