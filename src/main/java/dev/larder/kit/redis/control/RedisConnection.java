package dev.larder.kit.redis.control;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The application's one Redisson client and the breaker in front of it, built when the application
 * is deployed, never lazily by whichever request or probe comes first. Configuration is read through
 * the application's own class loader, so the WAR's defaults apply whatever thread asks; an invalid
 * configuration (an empty allow-list, say) fails the deployment with its reason.
 */
@ApplicationScoped
public class RedisConnection {

    private static final Logger LOG = Logger.getLogger(RedisConnection.class.getName());
    static final Duration PROBE_INTERVAL = Duration.ofMillis(250);
    /** How long the breaker goes without an answer from Redis before it probes by itself (see RedisBreaker.watchWhileIdle). */
    static final Duration WATCH_INTERVAL = Duration.ofMillis(100);

    @Inject
    RedisConnectionEvents events;

    private RedissonClient client;
    private RedisBreaker breaker;
    private volatile boolean started;

    /** Start-up observers of the kit run in this order: the client first, readiness last. */
    public static final int FIRST = jakarta.interceptor.Interceptor.Priority.LIBRARY_BEFORE;
    public static final int LAST = jakarta.interceptor.Interceptor.Priority.PLATFORM_AFTER;

    /** Builds the client at deployment, on the deploying thread, before anything else of the kit starts. */
    void start(@Observes @Priority(RedisConnection.FIRST) @Initialized(ApplicationScoped.class) Object deployed) {
        open();
    }

    /** After every start-up step of the application (caches, relays, seeding): readiness may say yes. */
    void ready(@Observes @Priority(RedisConnection.LAST) @Initialized(ApplicationScoped.class) Object deployed) {
        started = true;
    }

    /** Whether deployment has finished building the client: readiness is down until then. */
    public boolean started() {
        return started;
    }

    /**
     * {@code @Singleton}, not {@code @ApplicationScoped}: Redisson's JCache casts the client it is
     * given to its concrete class, which a CDI client proxy is not.
     */
    @Produces
    @Singleton
    RedissonClient client() {
        return open().client;
    }

    @Produces
    @Singleton
    RedisBreaker breaker() {
        return open().breaker;
    }

    private synchronized RedisConnection open() {
        if (client == null) {
            Config config = ConfigProvider.getConfig(RedisConnection.class.getClassLoader());
            RedisSettings settings = RedisSettings.from(config);
            LOG.info(() -> "Redis: " + settings.describe());
            client = Redisson.create(settings.toConfig(RedisConnection.class.getClassLoader(), events));
            RedissonClient redisson = client;
            breaker = new RedisBreaker(() -> "PONG".equals(redisson.getScript(StringCodec.INSTANCE)
                    .eval(RScript.Mode.READ_ONLY, "return 'PONG'", RScript.ReturnType.STRING)), PROBE_INTERVAL);
            breaker.watchWhileIdle(WATCH_INTERVAL);
        }
        return this;
    }

    /**
     * Static, as is {@link #close}: Weld destroys {@code @Singleton} beans after the application
     * context, when this bean is gone, and a disposer of an instance then fails (WELD-000019) and
     * leaves Redisson's non-daemon threads running, so that a JVM whose main thread ends (Payara
     * Micro's {@code --warmup}) never exits.
     */
    static void shutdown(@Disposes RedissonClient redisson) {
        redisson.shutdown();
    }

    static void close(@Disposes RedisBreaker breaker) {
        breaker.close();
    }
}
