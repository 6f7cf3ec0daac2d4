package dev.larder.kit.writebehind.control;

import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.kit.writebehind.entity.Delta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.AutoClaimResult;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;

/**
 * The Redis side of one write-behind log of counters: the stream {@code larder:{<name>}} of deltas
 * not yet in the database (one entry per accepted write, {@code key} and {@code amount}), read by
 * the consumer group {@code larder-<name>}, and the hash {@code larder:{<name>}:totals} of every
 * delta ever accepted per key (seeded with the database's count the first time a key is seen). An
 * append is one script (entry and total together); an acknowledgement is one script that
 * {@code XACK}s and {@code XDEL}s, so the stream holds only what is not in the database yet. Every
 * call goes through the shared breaker: {@code null} means Redis is unavailable.
 */
public class CounterLog {

    static final long TOTALS_SECONDS = Duration.ofDays(7).toSeconds();

    private static final String ADD = """
            local id = redis.call('XADD', KEYS[1], '*', 'key', ARGV[1], 'amount', ARGV[2])
            if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then
              redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
            end
            redis.call('HINCRBY', KEYS[2], ARGV[1], ARGV[2])
            redis.call('EXPIRE', KEYS[2], ARGV[4])
            return id
            """;

    private static final String ACKNOWLEDGE = """
            local acked = 0
            for i = 2, #ARGV do
              acked = acked + redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
              redis.call('XDEL', KEYS[1], ARGV[i])
            end
            return acked
            """;

    /** The breaker's answer when Redis is unavailable (an empty read is an empty map, or null). */
    private static final Map<StreamMessageId, Map<String, String>> UNAVAILABLE = new HashMap<>();
    /** The answer when the group (or the stream) does not exist: Redis lost it. */
    private static final Map<StreamMessageId, Map<String, String>> NO_GROUP = new HashMap<>();
    private static final AutoClaimResult<String, String> NO_GROUP_CLAIMED = new AutoClaimResult<>();

    private static final String OLDEST = """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return false
            end
            local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
            if #first > 0 then
              return first[1][1]
            end
            local info = redis.call('XINFO', 'STREAM', KEYS[1])
            for i = 1, #info, 2 do
              if info[i] == 'last-generated-id' then
                return info[i + 1]
              end
            end
            return false
            """;

    private final RedissonClient redisson;
    private final RedisBreaker breaker;
    private final String name;
    final String stream;
    final String totals;
    final String group;

    public CounterLog(RedissonClient redisson, RedisBreaker breaker, String name) {
        this.redisson = redisson;
        this.breaker = breaker;
        this.name = name;
        this.stream = "larder:{" + name + "}";
        this.totals = stream + ":totals";
        this.group = "larder-" + name;
    }

    public String name() {
        return name;
    }

    /**
     * Makes {@code amount} for {@code key} durable in Redis; its entry id, or null if Redis is
     * unavailable. {@code seed} is the database's count, the total's start when the key is new.
     */
    public String add(String key, long amount, long seed) {
        return breaker.callAsync("append to the " + name + " write-behind log", () -> redisson.getScript(StringCodec.INSTANCE)
                .<String>evalAsync(stream, RScript.Mode.READ_WRITE, ADD, RScript.ReturnType.VALUE, List.of(stream, totals),
                        key, String.valueOf(amount), String.valueOf(seed), String.valueOf(TOTALS_SECONDS)), null);
    }

    /** Every delta accepted for {@code key} plus its seed; null if unknown or Redis is unavailable. */
    public Long total(String key) {
        return totalLater(key).get();
    }

    /**
     * Sends the read of {@code key}'s total now and answers it later ({@link Total#get}), so that a
     * caller can overlap this round trip with its own work (a product read waits for its cache lookup
     * and this total at once, not one after the other). Nothing is sent while the breaker is open.
     */
    public Total totalLater(String key) {
        CompletionStage<String> sent = breaker.closed()
                ? redisson.<String, String>getMap(totals, StringCodec.INSTANCE).getAsync(key) : null;
        return new Total(sent);
    }

    /** A total asked for and not yet collected. */
    public final class Total {

        private final CompletionStage<String> sent;

        private Total(CompletionStage<String> sent) {
            this.sent = sent;
        }

        /** The total, waiting for it through the breaker; null if unknown or Redis is unavailable. */
        public Long get() {
            if (sent == null) {
                return null; // the breaker was open when it was asked for
            }
            String total = breaker.callAsync("read a " + name + " total", () -> sent, null);
            return total == null ? null : Long.valueOf(total);
        }
    }

    /**
     * The millisecond part of the oldest entry id still in the stream (of the last id generated, if
     * it is empty): every entry with an older id has left the stream for good. Null if there is no
     * stream or Redis is unavailable.
     */
    Long oldestMillis() {
        String id = breaker.callAsync("read the oldest " + name + " entry", () -> redisson.getScript(StringCodec.INSTANCE)
                .<String>evalAsync(stream, RScript.Mode.READ_ONLY, OLDEST, RScript.ReturnType.VALUE, List.of(stream)), null);
        return id == null ? null : Long.valueOf(id.substring(0, id.indexOf('-')));
    }

    /** Creates the group (reading from the start of the stream) unless it exists; false if Redis is unavailable. */
    boolean ensureGroup() {
        return breaker.callAsync("create the " + group + " group", () -> unless("BUSYGROUP", true, stream().createGroupAsync(
                StreamCreateGroupArgs.name(group).id(StreamMessageId.ALL).makeStream()).thenApply(done -> true)), false);
    }

    /** Up to {@code count} entries no consumer has been given yet, now pending on {@code consumer}. */
    List<Delta> read(String consumer, int count) {
        return deltas(breaker.callAsync("read the " + name + " log", () -> unless("NOGROUP", NO_GROUP,
                stream().readGroupAsync(group, consumer, StreamReadGroupArgs.neverDelivered().count(count))), UNAVAILABLE));
    }

    /** Up to {@code count} entries pending on {@code consumer} itself (read, not yet acknowledged). */
    List<Delta> own(String consumer, int count) {
        return deltas(breaker.callAsync("read the " + name + " log", () -> unless("NOGROUP", NO_GROUP,
                stream().readGroupAsync(group, consumer, StreamReadGroupArgs.greaterThan(new StreamMessageId(0, 0)).count(count))),
                UNAVAILABLE));
    }

    /** Takes over up to {@code count} entries pending on any consumer for at least {@code minIdle} ({@code XAUTOCLAIM}). */
    List<Delta> claim(String consumer, Duration minIdle, int count) {
        var claimed = breaker.callAsync("claim from the " + name + " log", () -> unless("NOGROUP", NO_GROUP_CLAIMED, stream()
                .autoClaimAsync(group, consumer, minIdle.toMillis(), TimeUnit.MILLISECONDS, new StreamMessageId(0, 0), count)), null);
        if (claimed == null) {
            return null;
        }
        if (claimed == NO_GROUP_CLAIMED) {
            throw new NoGroupException(group);
        }
        if (claimed.getDeletedIds() != null && !claimed.getDeletedIds().isEmpty()) {
            acknowledge(claimed.getDeletedIds().stream().map(StreamMessageId::toString).toList());
        }
        return deltas(claimed.getMessages() == null ? Map.of() : claimed.getMessages());
    }

    /** Acknowledges and deletes the entries (their deltas are in the database); the number acknowledged now, null if Redis is unavailable. */
    Long acknowledge(List<String> ids) {
        if (ids.isEmpty()) {
            return 0L;
        }
        List<Object> args = new ArrayList<>(List.of(group));
        args.addAll(ids);
        return breaker.callAsync("acknowledge in the " + name + " log", () -> redisson.getScript(StringCodec.INSTANCE)
                .<Long>evalAsync(stream, RScript.Mode.READ_WRITE, ACKNOWLEDGE, RScript.ReturnType.LONG, List.of(stream),
                        args.toArray()), null);
    }

    /**
     * The call's answer, or {@code instead} when Redis refused it with {@code error}: an answer about
     * the data, which must not reach the breaker as if Redis were down.
     */
    private static <T> CompletionStage<T> unless(String error, T instead, CompletionStage<T> call) {
        return call.handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (String.valueOf(cause.getMessage()).startsWith(error)) {
                return instead;
            }
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
        });
    }

    /** The consumer group (or the whole stream) is gone: Redis lost it; the flusher creates it again. */
    static class NoGroupException extends IllegalStateException {
        NoGroupException(String group) {
            super("NOGROUP: the consumer group " + (group == null ? "" : group + " ") + "does not exist (Redis lost the stream)");
        }
    }

    private RStream<String, String> stream() {
        return redisson.getStream(stream, StringCodec.INSTANCE);
    }

    private static List<Delta> deltas(Map<StreamMessageId, Map<String, String>> entries) {
        if (entries == UNAVAILABLE) {
            return null;
        }
        if (entries == NO_GROUP) {
            throw new NoGroupException(null);
        }
        List<Delta> deltas = new ArrayList<>();
        if (entries == null) {
            return deltas;
        }
        entries.forEach((id, fields) -> deltas.add(new Delta(id.toString(), fields.get("key"), amount(fields.get("amount")))));
        return deltas;
    }

    private static long amount(String amount) {
        try {
            return amount == null ? 0 : Long.parseLong(amount);
        } catch (NumberFormatException e) {
            return 0; // not written by this class: acknowledged without effect
        }
    }
}
