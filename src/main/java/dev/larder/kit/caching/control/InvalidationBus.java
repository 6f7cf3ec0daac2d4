package dev.larder.kit.caching.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.larder.kit.json.JsonMappers;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.StringCodec;

/**
 * Cache invalidations between instances over the Redis channel {@code larder:invalidations}
 * (pub/sub, nothing stored). A message is {@code {"sender","seq","cache","field"}} (no field: the
 * whole cache). Each sender numbers its messages; a receiver that sees a gap in a sender's numbers
 * (lost messages, a reconnect, a failover) cannot know what it missed and clears every near cache,
 * and so does every (re)subscription: after a lost connection nothing heard before is trusted.
 */
class InvalidationBus implements AutoCloseable {

    static final String CHANNEL = "larder:invalidations";
    private static final Logger LOG = Logger.getLogger(InvalidationBus.class.getName());

    private final ObjectMapper json = JsonMappers.storage();
    private final String sender = UUID.randomUUID().toString();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final RTopic topic;
    private final BiConsumer<String, String> apply;
    private final Runnable clearAll;
    private final int messageListener;
    private final int statusListener;

    /**
     * @param apply    (cache, field or null for all) for every message from another instance
     * @param clearAll on a gap or a (re)subscription
     */
    InvalidationBus(RedissonClient redisson, BiConsumer<String, String> apply, Runnable clearAll) {
        this.topic = redisson.getTopic(CHANNEL, StringCodec.INSTANCE);
        this.apply = apply;
        this.clearAll = clearAll;
        this.messageListener = topic.addListener(String.class, (channel, message) -> receive(message));
        this.statusListener = topic.addListener(new StatusListener() {
            @Override
            public void onSubscribe(String channel) {
                lastSeen.clear();
                clearAll.run();
            }

            @Override
            public void onUnsubscribe(String channel) {
                clearAll.run();
            }
        });
    }

    /** Tells every other instance; a failure propagates so the caller's outage handling sees it. */
    void publish(String cache, String field) {
        ObjectNode message = json.createObjectNode()
                .put("sender", sender)
                .put("seq", sequence.incrementAndGet())
                .put("cache", cache);
        if (field != null) {
            message.put("field", field);
        }
        topic.publish(message.toString());
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
            return;
        }
        long seq = message.path("seq").asLong();
        Long previous = lastSeen.put(from, seq);
        if (previous != null && seq != previous + 1) {
            LOG.info(() -> "Invalidation messages from " + from + " jumped from " + previous + " to " + seq
                    + "; clearing near caches");
            clearAll.run();
        }
        JsonNode field = message.get("field");
        apply.accept(message.path("cache").asText(), field == null || field.isNull() ? null : field.asText());
    }

    @Override
    public void close() {
        topic.removeListener(messageListener, statusListener);
    }
}
