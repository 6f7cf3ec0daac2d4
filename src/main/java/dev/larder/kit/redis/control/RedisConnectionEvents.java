package dev.larder.kit.redis.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.redisson.connection.ConnectionListener;

/**
 * Tells interested parts of the application when a connection to a Redis node drops, and when
 * Redisson connects to a node (again, or for the first time: after a failover, the new master). Both
 * run on Redisson's I/O threads: an action must return at once.
 */
@ApplicationScoped
public class RedisConnectionEvents implements ConnectionListener {

    private final List<Runnable> onDisconnect = new CopyOnWriteArrayList<>();
    private final List<Runnable> onConnect = new CopyOnWriteArrayList<>();

    public void whenDisconnected(Runnable action) {
        onDisconnect.add(action);
    }

    public void whenConnected(Runnable action) {
        onConnect.add(action);
    }

    @Override
    public void onConnect(InetSocketAddress address) {
        onConnect.forEach(Runnable::run);
    }

    @Override
    public void onDisconnect(InetSocketAddress address) {
        onDisconnect.forEach(Runnable::run);
    }
}
