package dev.larder.kit.events.control;

import dev.larder.kit.redis.control.RedisBreaker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadArgs;
import org.redisson.api.stream.StreamTrimArgs;
import org.redisson.client.codec.StringCodec;

/**
 * The application's event log: one bounded Redis Stream, {@code larder:events}, that every instance
 * appends to and reads from. Each entry is {@code type} and {@code data} (JSON); its stream id is
 * the event's id, so a client that reconnects anywhere can say what it saw last. Bounded twice:
 * about {@value #MAX_EVENTS} entries (trimmed on every append) and about {@code retention} of age
 * (trimmed by {@link #trimOlderThan}).
 */
@ApplicationScoped
public class EventLog {

    public static final String STREAM = "larder:events";
    static final int MAX_EVENTS = 10_000;

    @Inject
    RedissonClient redisson;

    @Inject
    RedisBreaker breaker;

    /** One event as the log holds it. */
    public record Event(String id, String type, String data) {
    }

    /** Appends an event; its id, or empty if Redis is unavailable (the breaker logs that once). */
    public Optional<String> append(String type, String data) {
        return Optional.ofNullable(breaker.callAsync("append a " + type + " event", () -> stream()
                .addAsync(StreamAddArgs.entries(Map.of("type", type, "data", data)).trimNonStrict().maxLen(MAX_EVENTS).noLimit())
                .thenApply(StreamMessageId::toString), null));
    }

    /** Events after {@code id}, waiting up to {@code wait} for one; empty on a timeout (or with Redis unavailable). */
    public List<Event> after(String id, int count, Duration wait) {
        Map<StreamMessageId, Map<String, String>> read = breaker.callAsync("read events", () -> stream()
                .readAsync(StreamReadArgs.greaterThan(parse(id)).count(count).timeout(wait)), null);
        return events(read);
    }

    /** Up to {@code count} events after {@code id} that are still in the log, oldest first, without waiting. */
    public List<Event> since(String id, int count) {
        StreamMessageId from = parse(id);
        StreamMessageId exclusive = new StreamMessageId(from.getId0(), from.getId1() + 1);
        return events(breaker.callAsync("read missed events", () -> stream().rangeAsync(count, exclusive, StreamMessageId.MAX), null));
    }

    /** The id of the oldest event still in the log; empty if it is empty or Redis is unavailable. */
    public Optional<String> oldest() {
        Map<StreamMessageId, Map<String, String>> first = breaker.callAsync("read the oldest event",
                () -> stream().rangeAsync(1, StreamMessageId.MIN, StreamMessageId.MAX), null);
        return first == null ? Optional.empty() : first.keySet().stream().findFirst().map(StreamMessageId::toString);
    }

    /** The id of the newest event, or {@code 0-0}; what a tail starts after. */
    public String newest() {
        Map<StreamMessageId, Map<String, String>> last = breaker.callAsync("read the newest event",
                () -> stream().rangeReversedAsync(1, StreamMessageId.MAX, StreamMessageId.MIN), null);
        return last == null ? "0-0" : last.keySet().stream().findFirst().map(StreamMessageId::toString).orElse("0-0");
    }

    /** Drops events older than {@code retention}. */
    public void trimOlderThan(Duration retention) {
        StreamMessageId cutoff = new StreamMessageId(System.currentTimeMillis() - retention.toMillis(), 0);
        breaker.callAsync("trim the event log", () -> stream().trimNonStrictAsync(StreamTrimArgs.minId(cutoff).noLimit()), 0L);
    }

    /** Whether {@code id} is a stream id ({@code <ms>-<seq>}), so junk never reaches Redis. */
    public static boolean wellFormed(String id) {
        return id != null && id.matches("[0-9]{1,19}-[0-9]{1,19}") && parseOrNull(id) != null;
    }

    static StreamMessageId parse(String id) {
        StreamMessageId parsed = parseOrNull(id);
        if (parsed == null) {
            throw new IllegalArgumentException("not an event id: " + id);
        }
        return parsed;
    }

    private static StreamMessageId parseOrNull(String id) {
        String[] parts = id.split("-", 2);
        try {
            return new StreamMessageId(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    /** Compares two event ids (stream order). */
    static int compare(String a, String b) {
        StreamMessageId x = parse(a);
        StreamMessageId y = parse(b);
        return x.getId0() != y.getId0() ? Long.compare(x.getId0(), y.getId0()) : Long.compare(x.getId1(), y.getId1());
    }

    private RStream<String, String> stream() {
        return redisson.getStream(STREAM, StringCodec.INSTANCE);
    }

    private static List<Event> events(Map<StreamMessageId, Map<String, String>> read) {
        if (read == null) {
            return List.of();
        }
        return new LinkedHashMap<>(read).entrySet().stream()
                .map(e -> new Event(e.getKey().toString(), e.getValue().get("type"), e.getValue().get("data")))
                .toList();
    }
}
