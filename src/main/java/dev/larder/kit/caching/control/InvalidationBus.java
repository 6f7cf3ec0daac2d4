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
import org.redisson.api.RShardedTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Cache invalidations between instances over sharded pub/sub (nothing stored): one channel per slot
 * group, {@code larder:invalidations:{<tag>}} in the group's home slot ({@link Slots}), so on Redis
 * Cluster each message goes to the one shard that owns the entry, not to every node. A message is
 * {@code {"sender","seq","cache","field"}} (no field: the whole cache); most are published by the
 * same Lua script that changes the entry ({@code SPUBLISH}).
 *
 * <p>Each sender numbers its messages per group. Concurrent publishes travel on different pooled
 * connections and may arrive out of order, so a number that is skipped is only a <em>gap</em> if it
 * has not arrived {@value #GAP_MILLIS} ms later ({@link SenderSequence}); a receiver that sees a real
 * gap cannot know what it missed and clears every near cache.
 *
 * <p>The bus is <em>live</em> only while it hears every group's channel: each channel carries a
 * heartbeat about every {@value #PROBE_MILLIS} ms, and {@link #live()} is false as soon as a channel's
 * last heartbeat heard is more than {@value #DEAF_MILLIS} ms old, whatever the reason: a lost
 * connection, a lost subscription or a Redis that stopped answering. Every instance offers a
 * heartbeat every {@value #PROBE_MILLIS} ms (asynchronously, so a stalled Redis never blocks it), but
 * a script publishes it only if the channel had none in the last {@value #BEAT_MILLIS} ms: a channel
 * carries about five heartbeats a second however many instances listen, so the traffic grows with
 * the instances, not with their square. Going deaf clears every near cache; the bus turns live again
 * (clearing once more) when every channel is heard again, so nothing kept from before is ever served.
 */
class InvalidationBus implements AutoCloseable {

    static final long PROBE_MILLIS = 200;
    static final long BEAT_MILLIS = 150;
    static final long DEAF_MILLIS = 3 * PROBE_MILLIS;
    static final long GAP_MILLIS = 1_000;
    static final long FORGET_SENDER_SECONDS = 60;
    private static final Logger LOG = Logger.getLogger(InvalidationBus.class.getName());

    /** Publishes a heartbeat on a group's channel unless one went out within the last ARGV[1] ms. */
    private static final String BEAT = """
            if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
              redis.call('SPUBLISH', ARGV[2], ARGV[3])
              return 1
            end
            return 0
            """;

    private final ObjectMapper json = JsonMappers.storage();
    private final String sender = UUID.randomUUID().toString();
    private final RedissonClient redisson;
    private final Slots slots;
    private final AtomicLong[] sequence;
    private final Map<String, SenderSequence> senders = new ConcurrentHashMap<>();
    private final RShardedTopic[] topics;
    private final String heartbeat;
    private final java.util.concurrent.atomic.AtomicLongArray heardAt;
    private final BiConsumer<String, String> apply;
    private final Runnable clearAll;
    private final java.util.concurrent.atomic.AtomicIntegerArray listeners;
    private final java.util.concurrent.atomic.AtomicBoolean subscribing = new java.util.concurrent.atomic.AtomicBoolean();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "larder-invalidation-probe");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean live;
    /** When the bus last went deaf (or started): it is live again once every channel was heard after that. */
    private volatile long lostAt = System.nanoTime();

    /**
     * @param apply    (cache, field or null for all) for every message from another instance
     * @param clearAll whenever what near caches hold can no longer be trusted
     */
    InvalidationBus(RedissonClient redisson, Slots slots, BiConsumer<String, String> apply, Runnable clearAll) {
        this.redisson = redisson;
        this.slots = slots;
        int groups = slots.groups();
        this.sequence = new AtomicLong[groups];
        this.topics = new RShardedTopic[groups];
        this.heardAt = new java.util.concurrent.atomic.AtomicLongArray(groups);
        this.listeners = new java.util.concurrent.atomic.AtomicIntegerArray(groups);
        long now = lostAt; // not heard since: live only once every channel is heard
        for (int g = 0; g < groups; g++) {
            sequence[g] = new AtomicLong();
            topics[g] = redisson.getShardedTopic(slots.channel(g), StringCodec.INSTANCE);
            heardAt.set(g, now);
            listeners.set(g, -1);
        }
        this.heartbeat = json.createObjectNode().put("beat", true).toString();
        this.apply = apply;
        this.clearAll = clearAll;
        subscribe();
        prober.scheduleWithFixedDelay(this::probe, 0, PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Whether near caches may serve: every group's channel was heard within the last {@value #DEAF_MILLIS} ms. */
    boolean live() {
        if (live && System.nanoTime() - oldestHeard() > TimeUnit.MILLISECONDS.toNanos(DEAF_MILLIS)) {
            connectionLost();
        }
        return live;
    }

    private long oldestHeard() {
        long oldest = heardAt.get(0);
        for (int g = 1; g < heardAt.length(); g++) {
            if (heardAt.get(g) - oldest < 0) {
                oldest = heardAt.get(g);
            }
        }
        return oldest;
    }

    private boolean everyGroupHeardSince(long since) {
        for (int g = 0; g < heardAt.length(); g++) {
            if (heardAt.get(g) - since <= 0) {
                return false;
            }
        }
        return true;
    }

    /** A numbered message on group {@code group}'s channel about {@code field} of {@code cache} (null: all of it), for a script or {@link #publishAsync} to send. */
    String message(int group, String cache, String field) {
        ObjectNode message = numbered(group).put("cache", cache);
        if (field != null) {
            message.put("field", field);
        }
        return message.toString();
    }

    /** Tells every other instance, on group {@code group}'s channel; true once published. */
    java.util.concurrent.CompletionStage<Boolean> publishAsync(int group, String cache, String field) {
        return topics[group].publishAsync(message(group, cache, field)).thenApply(receivers -> true);
    }

    /** Something happened to the connection: trust nothing near until every channel is heard again. */
    void connectionLost() {
        if (live) {
            LOG.info("Lost the invalidation channels; near caches are cleared and bypassed until they are back");
        }
        live = false;
        lostAt = System.nanoTime();
        senders.clear();
        clearAll.run();
    }

    /**
     * Subscribes without waiting, so that the application deploys while Redis is down; a failed
     * subscription is tried again by the next probe. Until every channel's subscription holds, the bus
     * never hears them all and near caches stay unused.
     */
    private void subscribe() {
        if (!subscribing.compareAndSet(false, true)) {
            return;
        }
        java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger(1);
        Runnable done = () -> {
            if (pending.decrementAndGet() == 0) {
                subscribing.set(false);
            }
        };
        for (int g = 0; g < topics.length; g++) {
            if (listeners.get(g) >= 0) {
                continue;
            }
            int group = g;
            pending.incrementAndGet();
            try {
                topics[g].addListenerAsync(String.class, (channel, message) -> receive(group, message)).whenComplete((id, error) -> {
                    if (error == null) {
                        listeners.set(group, id);
                    }
                    done.run();
                });
            } catch (RuntimeException e) {
                done.run();
            }
        }
        done.run();
    }

    void probe() {
        subscribe();
        live(); // notices deafness even when nobody reads
        try {
            var script = redisson.getScript(StringCodec.INSTANCE);
            for (int g = 0; g < topics.length; g++) {
                script.evalAsync(slots.beatKey(g), org.redisson.api.RScript.Mode.READ_WRITE, BEAT,
                        org.redisson.api.RScript.ReturnType.LONG, java.util.List.of(slots.beatKey(g)),
                        String.valueOf(BEAT_MILLIS), slots.channel(g), heartbeat);
            }
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

    void receive(int group, String text) {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Ignoring an unreadable invalidation message; clearing near caches", e);
            clearAll.run();
            return;
        }
        if (message.path("beat").asBoolean(false)) {
            heard(group);
            return;
        }
        String from = message.path("sender").asText();
        if (from.equals(sender)) {
            return;
        }
        SenderSequence seen = senders.computeIfAbsent(from + "#" + group, SenderSequence::new);
        if (!seen.arrived(message.path("seq").asLong(), System.nanoTime())) {
            gap(seen.toString());
        }
        JsonNode field = message.get("field");
        apply.accept(message.path("cache").asText(), field == null || field.isNull() ? null : field.asText());
    }

    private void gap(String what) {
        LOG.info(() -> "Invalidation messages were lost (" + what + "); clearing near caches");
        clearAll.run();
    }

    private synchronized void heard(int group) {
        heardAt.set(group, System.nanoTime());
        if (!live && everyGroupHeardSince(lostAt)) {
            clearAll.run();
            live = true;
        }
    }

    private ObjectNode numbered(int group) {
        return json.createObjectNode().put("sender", sender).put("seq", sequence[group].incrementAndGet());
    }

    @Override
    public void close() {
        prober.shutdownNow();
        for (int g = 0; g < topics.length; g++) {
            if (listeners.get(g) >= 0) {
                topics[g].removeListenerAsync(listeners.get(g));
            }
        }
    }
}
