/**
 * HTTP sessions in Redis, as a servlet filter any Jakarta EE WAR can map.
 *
 * <p>Decisions: the filter wraps the request so that {@code getSession()} answers from Redis for
 * servlets and JAX-RS alike; the server's own session manager is never asked. Lazy: the session is
 * read on the first {@code getSession} of a request and nothing at all happens for requests that
 * never ask. Changed attributes (and removals) are written once per request, in one round trip that
 * also slides the expiry, just before the response is committed — so the client's next request,
 * on any instance, sees them. Attribute values are JSON through the allow-listed codec; all of them
 * together may not exceed {@code larder.sessions.max-bytes} (413). Ids are 256 bits from
 * {@code SecureRandom}, base64url; a cookie that is not of that form never reaches Redis.
 * {@code changeSessionId()} moves the state to a new id and deletes the old one;
 * {@code invalidate()} deletes it and expires the cookie. Redis unreachable: 503 for requests that
 * need a session; the rest of the API is untouched. Attributes are values: change one by setting it
 * again (mutating a returned object is not saved). {@code setMaxInactiveInterval} is not supported
 * (one timeout for all sessions).
 *
 * <p>Keys: {@code larder:session:<id>} (hash, expires {@code larder.sessions.timeout} after the
 * last request that used the session).
 */
package dev.larder.kit.sessions;
