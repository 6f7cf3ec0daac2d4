/**
 * Application events, shared by every instance, and their relay to Server-Sent-Events clients.
 *
 * <p>Decisions: events go to one bounded Redis Stream ({@code larder:events}), not to pub/sub, so
 * that each event has an id every instance agrees on and a client that reconnects to any instance
 * with {@code Last-Event-ID} gets what it missed. Each instance tails the stream with one blocking
 * read (at most 500 ms) and offers each event to its clients ({@code GET /api/events}); sends are
 * asynchronous and a client with more than 256 unsent events is dropped, so a slow client never
 * delays the others. A resuming client's replay and the live events are merged without gaps or
 * repeats (live events are held during the replay). Heartbeat comments every
 * {@code larder.events.heartbeat} (15 s) keep idle connections open; at most
 * {@code larder.events.max-clients} (1000) clients per instance, then 503; the count is the gauge
 * {@code larder_events_clients}. Query parameters filter on the events' top-level JSON fields.
 *
 * <p>Keys: {@code larder:events} (stream; entries {@code type}, {@code data}; trimmed to about
 * 10,000 entries on every append and to {@code larder.events.retention} (1 h) of age every heartbeat).
 * A client whose {@code Last-Event-ID} is older than the oldest entry kept gets a {@code reload} event.
 * Out of scope: delivery while Redis is unavailable (events of that time are not logged).
 */
package dev.larder.kit.events;
