package dev.larder.kit.caching.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.larder.kit.json.JsonMappers;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Cache invalidations between instances over the Redis channel {@code larder:invalidations}
 * (pub/sub, nothing stored). A message is {@code {"sender","seq","cache","field"}} (no field: the
 * whole cache); most are published by the same Lua script that changes the entry.
 *
 * <p>Each sender numbers its messages. Concurrent publishes travel on different pooled connections
 * and may arrive out of order, so a number that is skipped is only a <em>gap</em> if it has not
 * arrived {@value #GAP_MILLIS} ms later ({@link SenderSequence}); a receiver that sees a real gap
 * cannot know what it missed and clears every near cache.
 *
 * <p>The bus is <em>live</em> only while it hears itself: every {@value #PROBE_MILLIS} ms it
 * publishes a probe (asynchronously, so a stalled Redis never blocks the prober), and {@link #live()}
 * is false as soon as its own last probe is more than {@value #DEAF_MILLIS} ms old, whatever the
 * reason: a lost connection, a lost subscription or a Redis that stopped answering. Going deaf clears
 * every near cache; it turns live again (clearing once more) when its own probe is heard again, so
 * nothing kept from before is ever served.
 */
class InvalidationBus implements AutoCloseable {

    static final String CHANNEL = "larder:invalidations";
    static final long PROBE_MILLIS = 200;
    static final long DEAF_MILLIS = 3 * PROBE_MILLIS;
    static final long GAP_MILLIS = 1_000;
    static final long FORGET_SENDER_SECONDS = 60;
    private static final Logger LOG = Logger.getLogger(InvalidationBus.class.getName());

    private final ObjectMapper json = JsonMappers.storage();
    private final String sender = UUID.randomUUID().toString();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, SenderSequence> senders = new ConcurrentHashMap<>();
    private final RTopic topic;
    private final BiConsumer<String, String> apply;
    private final Runnable clearAll;
    private final java.util.concurrent.atomic.AtomicInteger messageListener = new java.util.concurrent.atomic.AtomicInteger(-1);
    private final java.util.concurrent.atomic.AtomicBoolean subscribing = new java.util.concurrent.atomic.AtomicBoolean();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "larder-invalidation-probe");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean live;
    private volatile long ownProbeHeardAt = System.nanoTime();

    /**
     * @param apply    (cache, field or null for all) for every message from another instance
     * @param clearAll whenever what near caches hold can no longer be trusted
     */
    InvalidationBus(RedissonClient redisson, BiConsumer<String, String> apply, Runnable clearAll) {
        this.topic = redisson.getTopic(CHANNEL, StringCodec.INSTANCE);
        this.apply = apply;
        this.clearAll = clearAll;
        subscribe();
        prober.scheduleWithFixedDelay(this::probe, 0, PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Whether near caches may serve: this instance heard itself on the channel within the last {@value #DEAF_MILLIS} ms. */
    boolean live() {
        if (live && System.nanoTime() - ownProbeHeardAt > TimeUnit.MILLISECONDS.toNanos(DEAF_MILLIS)) {
            connectionLost();
        }
        return live;
    }

    /** A numbered message about {@code field} of {@code cache} (null: all of it), for a script or {@link #publish} to send. */
    String message(String cache, String field) {
        ObjectNode message = numbered().put("cache", cache);
        if (field != null) {
            message.put("field", field);
        }
        return message.toString();
    }

    /** Tells every other instance; a failure propagates so the caller's breaker sees it. */
    void publish(String cache, String field) {
        topic.publish(message(cache, field));
    }

    /** {@link #publish}, as a future (true once published). */
    java.util.concurrent.CompletionStage<Boolean> publishAsync(String cache, String field) {
        return topic.publishAsync(message(cache, field)).thenApply(receivers -> true);
    }

    /** Something happened to the connection: trust nothing near until we hear ourselves again. */
    void connectionLost() {
        if (live) {
            LOG.info("Lost the invalidation channel; near caches are cleared and bypassed until it is back");
        }
        live = false;
        senders.clear();
        clearAll.run();
    }

    /**
     * Subscribes without waiting, so that the application deploys while Redis is down; a failed
     * subscription is tried again by the next probe. Until it holds, the bus never hears itself and
     * near caches stay unused.
     */
    private void subscribe() {
        if (messageListener.get() >= 0 || !subscribing.compareAndSet(false, true)) {
            return;
        }
        try {
            topic.addListenerAsync(String.class, (channel, message) -> receive(message)).whenComplete((id, error) -> {
                if (error == null) {
                    messageListener.set(id);
                }
                subscribing.set(false);
            });
        } catch (RuntimeException e) {
            subscribing.set(false);
        }
    }

    void probe() {
        subscribe();
        live(); // notices deafness even when nobody reads
        try {
            topic.publishAsync(numbered().put("probe", true).toString());
        } catch (RuntimeException e) {
            connectionLost();
        }
        long now = System.nanoTime();
        senders.values().forEach(s -> {
            String before = s.toString();
            if (s.gapOverdue(now)) {
                gap(before);
            }
        });
        senders.values().removeIf(s -> s.silentFor(now, TimeUnit.SECONDS.toNanos(FORGET_SENDER_SECONDS))); // instances that stopped
    }

    void receive(String text) {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Ignoring an unreadable invalidation message; clearing near caches", e);
            clearAll.run();
            return;
        }
        String from = message.path("sender").asText();
        if (from.equals(sender)) {
            heardMyself(message);
            return;
        }
        SenderSequence seen = senders.computeIfAbsent(from, SenderSequence::new);
        if (!seen.arrived(message.path("seq").asLong(), System.nanoTime())) {
            gap(seen.toString());
        }
        if (message.path("probe").asBoolean(false)) {
            return;
        }
        JsonNode field = message.get("field");
        apply.accept(message.path("cache").asText(), field == null || field.isNull() ? null : field.asText());
    }

    private void gap(String what) {
        LOG.info(() -> "Invalidation messages were lost (" + what + "); clearing near caches");
        clearAll.run();
    }

    private void heardMyself(JsonNode message) {
        if (!message.path("probe").asBoolean(false)) {
            return;
        }
        ownProbeHeardAt = System.nanoTime();
        if (!live) {
            clearAll.run();
            live = true;
        }
    }

    private ObjectNode numbered() {
        return json.createObjectNode().put("sender", sender).put("seq", sequence.incrementAndGet());
    }

    @Override
    public void close() {
        prober.shutdownNow();
        if (messageListener.get() >= 0) {
            topic.removeListenerAsync(messageListener.get());
        }
    }
}
