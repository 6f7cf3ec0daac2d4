package dev.larder.kit.redis.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.redisson.connection.ConnectionListener;

/** Tells interested parts of the application when a connection to a Redis node drops. */
@ApplicationScoped
public class RedisConnectionEvents implements ConnectionListener {

    private final List<Runnable> onDisconnect = new CopyOnWriteArrayList<>();

    public void whenDisconnected(Runnable action) {
        onDisconnect.add(action);
    }

    @Override
    public void onConnect(InetSocketAddress address) {
        // reconnects are confirmed by whoever needs them (e.g. the invalidation bus hearing itself)
    }

    @Override
    public void onDisconnect(InetSocketAddress address) {
        onDisconnect.forEach(Runnable::run);
    }
}
