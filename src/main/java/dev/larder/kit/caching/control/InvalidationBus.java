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
 * whole cache). Each sender numbers its messages; a receiver that sees a gap in a sender's numbers
 * (lost messages, a reconnect, a failover) cannot know what it missed and clears every near cache.
 *
 * <p>The bus is <em>live</em> only while it hears itself: every {@value #PROBE_MILLIS} ms it
 * publishes a probe, and if its own probe has not come back for three intervals, or a Redis
 * connection drops, it clears every near cache and stops them from serving. It turns live again
 * (clearing once more) when its own probe is heard again, so nothing kept from before a lost
 * subscription is ever served.
 */
class InvalidationBus implements AutoCloseable {

    static final String CHANNEL = "larder:invalidations";
    static final long PROBE_MILLIS = 200;
    private static final Logger LOG = Logger.getLogger(InvalidationBus.class.getName());

    private final ObjectMapper json = JsonMappers.storage();
    private final String sender = UUID.randomUUID().toString();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final RTopic topic;
    private final BiConsumer<String, String> apply;
    private final Runnable clearAll;
    private final int messageListener;
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
        this.messageListener = topic.addListener(String.class, (channel, message) -> receive(message));
        prober.scheduleWithFixedDelay(this::probe, 0, PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Whether near caches may serve: this instance hears the channel right now. */
    boolean live() {
        return live;
    }

    /** Tells every other instance; a failure propagates so the caller's outage handling sees it. */
    void publish(String cache, String field) {
        ObjectNode message = message().put("cache", cache);
        if (field != null) {
            message.put("field", field);
        }
        topic.publish(message.toString());
    }

    /** Something happened to the connection: trust nothing near until we hear ourselves again. */
    void connectionLost() {
        if (live) {
            LOG.info("Lost the invalidation channel; near caches are cleared and bypassed until it is back");
        }
        live = false;
        lastSeen.clear();
        clearAll.run();
    }

    void probe() {
        try {
            if (live && System.nanoTime() - ownProbeHeardAt > TimeUnit.MILLISECONDS.toNanos(3 * PROBE_MILLIS)) {
                connectionLost();
            }
            topic.publish(message().put("probe", true).toString());
        } catch (RuntimeException e) {
            if (live) {
                connectionLost();
            }
        }
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
        long seq = message.path("seq").asLong();
        Long previous = lastSeen.put(from, seq);
        if (previous != null && seq != previous + 1) {
            LOG.info(() -> "Invalidation messages from " + from + " jumped from " + previous + " to " + seq
                    + "; clearing near caches");
            clearAll.run();
        }
        if (message.path("probe").asBoolean(false)) {
            return;
        }
        JsonNode field = message.get("field");
        apply.accept(message.path("cache").asText(), field == null || field.isNull() ? null : field.asText());
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

    private ObjectNode message() {
        return json.createObjectNode().put("sender", sender).put("seq", sequence.incrementAndGet());
    }

    @Override
    public void close() {
        prober.shutdownNow();
        topic.removeListener(messageListener);
    }
}
