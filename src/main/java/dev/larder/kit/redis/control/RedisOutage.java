package dev.larder.kit.redis.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the log once when Redis starts failing (with the cause) and once when it answers again,
 * instead of a stack trace per request. Callers decide what to do instead: this only keeps count.
 */
@ApplicationScoped
public class RedisOutage {

    private static final Logger LOG = Logger.getLogger(RedisOutage.class.getName());

    private final AtomicBoolean down = new AtomicBoolean();
    private final List<Runnable> onDown = new CopyOnWriteArrayList<>();

    public void failed(String action, RuntimeException cause) {
        if (down.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "Redis failed while trying to " + action
                    + "; serving without it until it answers again", cause);
            onDown.forEach(Runnable::run);
        }
    }

    public void answered() {
        if (down.get() && down.compareAndSet(true, false)) {
            LOG.info("Redis answers again");
        }
    }

    /** Runs {@code action} each time Redis goes from answering to failing. */
    public void whenDown(Runnable action) {
        onDown.add(action);
    }
}
