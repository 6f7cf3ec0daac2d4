/**
 * Application events, shared by every instance, and their relay to Server-Sent-Events clients.
 *
 * <p>Decisions: events go to one bounded Redis Stream ({@code larder:events}), not to pub/sub, so
 * that each event has an id every instance agrees on and a client that reconnects to any instance
 * with {@code Last-Event-ID} gets what it missed. Each instance tails the stream with one blocking
 * read (at most 500 ms) and offers each event to its clients ({@code GET /api/events}). Offering
 * only queues: each client has a queue of its own, written by a sender task of its own, because
 * Jersey's {@code SseEventSink.send} writes on the caller's thread and blocks while the client does
 * not read; a client with 1,000 events queued (more than the relay reads at once) is dropped (and no longer counted), so a slow client
 * never delays the others. The sender threads are made as needed (a cached pool, not a small fixed
 * one): a stalled client holds one of them until the server's write timeout fails its write (Payara:
 * the transport's {@code write-timeout-millis}, 30 s by default), and a fixed pool would let a few
 * stalled clients hold up everyone; their number is bounded by the number of clients. A resuming
 * client's replay and the live events are merged without gaps or repeats (live events are held
 * during the replay, which waits for room in the client's queue on the request's thread). Heartbeat
 * comments every {@code larder.events.heartbeat} (15 s) keep idle connections open; at most
 * {@code larder.events.max-clients} (1000) clients per instance (checked and counted in one step),
 * then 503; the count is the gauge {@code larder_events_clients}. Query parameters filter on the
 * events' top-level JSON fields.
 *
 * <p>Keys: {@code larder:events} (stream; entries {@code type}, {@code data}; trimmed to about
 * 10,000 entries on every append and to {@code larder.events.retention} (1 h) of age every heartbeat).
 * A client whose {@code Last-Event-ID} is older than the oldest entry kept gets a {@code reload} event.
 * Out of scope: delivery while Redis is unavailable (events of that time are not logged).
 */
package dev.larder.kit.events;
