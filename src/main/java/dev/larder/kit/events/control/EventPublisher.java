package dev.larder.kit.events.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.larder.kit.json.JsonMappers;
import dev.larder.kit.redis.control.RedisBreaker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Publishes application events as JSON on the Redis channel {@code larder:events:<type>} (pub/sub,
 * nothing stored), for every instance to relay. Best effort: with Redis down the event is lost,
 * which the shared {@link RedisBreaker} logs once; the change itself has already been committed.
 */
@ApplicationScoped
public class EventPublisher {

    public static final String CHANNEL_PREFIX = "larder:events:";

    @Inject
    RedissonClient redisson;

    @Inject
    RedisBreaker breaker;

    public void publish(String type, Object payload) {
        String json;
        try {
            json = JsonMappers.storage().writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event payload is not JSON-serializable: " + payload.getClass(), e);
        }
        breaker.call("publish a " + type + " event", () -> redisson.getTopic(CHANNEL_PREFIX + type, StringCodec.INSTANCE).publish(json), 0L);
    }
}
