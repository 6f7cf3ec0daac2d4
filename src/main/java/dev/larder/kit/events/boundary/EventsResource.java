package dev.larder.kit.events.boundary;

import com.fasterxml.jackson.databind.JsonNode;
import dev.larder.kit.events.control.EventLog;
import dev.larder.kit.events.control.EventRelay;
import dev.larder.kit.events.control.Subscriber;
import dev.larder.kit.json.JsonMappers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code GET /api/events}: the application's events as Server-Sent Events, on any instance. Each
 * event's id is its id in the shared log, so a client that reconnects (to any instance) with
 * {@code Last-Event-ID} gets what it missed while the log still holds it, and a {@code reload}
 * event when it no longer does. Query parameters filter on the events' top-level JSON fields, e.g.
 * {@code ?productId=42}.
 */
@Path("events")
@ApplicationScoped
public class EventsResource {

    static final int MAX_FILTERS = 4;

    @Inject
    EventRelay relay;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@Context SseEventSink sink, @Context Sse sse, @Context UriInfo uri,
                       @HeaderParam("Last-Event-ID") String lastEventId) {
        if (lastEventId != null && !EventLog.wellFormed(lastEventId.strip())) {
            throw new BadRequestException("Last-Event-ID must be an event id as this stream sent it, like 1764489600000-0");
        }
        Predicate<EventLog.Event> wanted = filter(uri.getQueryParameters().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0))));
        String after = lastEventId == null ? null : lastEventId.strip();
        Subscriber subscriber = new Subscriber(sink, relay.senders(), event -> sse.newEventBuilder().id(event.id()).name(event.type())
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, event.data()).build(),
                sse.newEventBuilder().comment("keep-alive").build(), wanted, after);
        if (!relay.admit(subscriber)) {
            throw new ServiceUnavailableException("This instance serves as many event clients as it may; try another or later", 5L);
        }
        subscriber.say(sse.newEventBuilder().comment("connected").build());
        relay.connect(subscriber, after, oldest -> sse.newEventBuilder().name("reload").mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(String.class, "{\"reason\":\"Events after your Last-Event-ID are no longer kept; reload the state\","
                        + "\"oldestEventId\":\"" + oldest + "\"}").build());
    }

    static Predicate<EventLog.Event> filter(Map<String, String> fields) {
        if (fields.size() > MAX_FILTERS) {
            throw new BadRequestException("At most " + MAX_FILTERS + " filters");
        }
        fields.forEach((name, value) -> {
            if (!name.matches("[A-Za-z][A-Za-z0-9]{0,31}") || value.length() > 64) {
                throw new BadRequestException("A filter is a field name (letters and digits) and a value of at most 64 characters");
            }
        });
        if (fields.isEmpty()) {
            return event -> true;
        }
        return event -> {
            try {
                JsonNode data = JsonMappers.storage().readTree(event.data());
                return fields.entrySet().stream().allMatch(f -> data.path(f.getKey()).isValueNode()
                        && data.path(f.getKey()).asText().equals(f.getValue()));
            } catch (IOException unreadable) {
                return false;
            }
        };
    }
}
