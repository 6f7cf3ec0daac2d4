package dev.larder.kit.events.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.larder.kit.json.JsonMappers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Publishes application events to the shared event log ({@link EventLog}) as JSON, for every
 * instance to relay to its clients. Called after the change committed. Best effort: with Redis
 * unavailable the event is not logged (the shared breaker logs the outage once); the change itself
 * is committed and its cache invalidations wait in the outbox.
 */
@ApplicationScoped
public class EventPublisher {

    @Inject
    EventLog log;

    public void publish(String type, Object payload) {
        try {
            log.append(type, JsonMappers.storage().writeValueAsString(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event payload is not JSON-serializable: " + payload.getClass(), e);
        }
    }
}
