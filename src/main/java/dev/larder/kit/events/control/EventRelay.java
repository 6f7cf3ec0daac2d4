package dev.larder.kit.events.control;

import jakarta.annotation.PreDestroy;
import dev.larder.kit.redis.control.RedisConnection;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Relays the event log to this instance's Server-Sent-Events clients: one thread tails
 * {@code larder:events} (a blocking read of at most half a second, so a new event reaches clients
 * within milliseconds) and offers each event to every client; another offers a heartbeat comment to
 * every client every {@code larder.events.heartbeat} and trims the log to
 * {@code larder.events.retention}. Offering never waits for a client: each client's events are
 * written by a sender task of its own ({@link Subscriber}), on threads made as needed, so a client
 * that stopped reading holds at most one thread (until the server's write timeout fails its write)
 * and nobody else. At most {@code larder.events.max-clients} clients per instance.
 */
@ApplicationScoped
public class EventRelay {

    private static final Logger LOG = Logger.getLogger(EventRelay.class.getName());
    static final Duration READ_WAIT = Duration.ofMillis(500);
    static final int READ_COUNT = 500;
    static final int REPLAY_LIMIT = EventLog.MAX_EVENTS;

    @Inject
    EventLog log;

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2, r -> {
        Thread thread = new Thread(r, "larder-event-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService senders = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "larder-event-sender");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running = true;
    private int maxClients;
    private Duration retention;

    void start(@Observes @Priority(RedisConnection.FIRST + 20) @Initialized(ApplicationScoped.class) Object deployed) {
        Config config = ConfigProvider.getConfig(EventRelay.class.getClassLoader());
        maxClients = config.getOptionalValue("larder.events.max-clients", Integer.class).orElse(1000);
        retention = config.getOptionalValue("larder.events.retention", String.class).map(Duration::parse).orElse(Duration.ofHours(1));
        Duration heartbeat = config.getOptionalValue("larder.events.heartbeat", String.class).map(Duration::parse)
                .orElse(Duration.ofSeconds(15));
        threads.execute(this::tail);
        threads.scheduleWithFixedDelay(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        running = false;
        threads.shutdownNow();
        subscribers.forEach(Subscriber::close);
        senders.shutdownNow();
    }

    /** Clients connected to this instance. */
    public int clients() {
        return subscribers.size();
    }

    /** Where clients' sends run: one task at a time per client, a thread for each client with events in flight. */
    public Executor senders() {
        return senders;
    }

    /** Counts a client in, if there is room for it; false (and nothing counted) at {@code larder.events.max-clients}. */
    public synchronized boolean admit(Subscriber subscriber) {
        if (subscribers.size() >= maxClients) {
            return false;
        }
        return subscribers.add(subscriber);
    }

    /**
     * Connects an admitted client: it gets every event after {@code lastEventId} still in the log, then
     * the live ones; if {@code lastEventId} is older than the log, {@code reload} is said first (what it
     * missed is gone) and it continues from the oldest event kept.
     *
     * @param reload the event that tells a client to reload, given the oldest id still kept
     */
    public void connect(Subscriber subscriber, String lastEventId, Function<String, OutboundSseEvent> reload) {
        if (lastEventId != null) {
            Optional<String> oldest = log.oldest();
            if (oldest.isPresent() && EventLog.compare(lastEventId, oldest.get()) < 0) {
                subscriber.say(reload.apply(oldest.get())); // what came between is gone from the log
            }
            for (EventLog.Event event : log.since(lastEventId, REPLAY_LIMIT)) {
                if (!subscriber.replay(event)) {
                    subscribers.remove(subscriber);
                    return;
                }
            }
        }
        if (!subscriber.goLive()) {
            subscribers.remove(subscriber);
        }
    }

    private void tail() {
        String last = log.newest();
        while (running) {
            try {
                List<EventLog.Event> events = log.after(last, READ_COUNT, READ_WAIT);
                if (events.isEmpty()) {
                    Thread.sleep(10); // with Redis unavailable the read answers at once: do not spin
                    continue;
                }
                for (EventLog.Event event : events) {
                    subscribers.removeIf(s -> !s.offer(event));
                    last = event.id();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The event relay failed; retrying", e);
                sleepQuietly();
            }
        }
    }

    private void heartbeat() {
        subscribers.removeIf(s -> !s.say(s.heartbeat()));
        log.trimOlderThan(retention);
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
