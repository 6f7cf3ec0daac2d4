/**
 * HTTP sessions in Redis, as a servlet filter any Jakarta EE WAR can map.
 *
 * <p>Decisions: the filter wraps the request so that {@code getSession()} answers from Redis for
 * servlets and JAX-RS alike; the server's own session manager is never asked. Lazy: the session is
 * read on the first {@code getSession} of a request and nothing at all happens for requests that
 * never ask: not even the cookie header is parsed, and no request attribute is stored (the wrapper
 * answers {@code getAttribute} for its own name), so the filter costs two small wrapper objects. Attribute values are JSON through the allow-listed codec; all of them together may not
 * exceed {@code larder.sessions.max-bytes} (413). A value the codec cannot handle is a bug, not an
 * outage, kept apart as the caches keep theirs: counted in {@code larder_cache_codec_errors_total}
 * and logged once per type, the breaker untouched, never a 503. One that cannot be read back (a type
 * off the allow-list, a class renamed by a rolling deploy) is left out of the request's session and
 * left in Redis, where an instance that can read it still does, until a request sets that attribute
 * again or the session ends: the visitor keeps the rest of the session instead of an error on every
 * request for up to the timeout. One that cannot be written fails the request with 500
 * problem+json and writes nothing of it: answering 200 would tell the client a change was kept. Ids are 256 bits from {@code SecureRandom},
 * base64url; a cookie that is not of that form never reaches Redis. Attributes are values: change
 * one by setting it again (mutating a returned object is not saved). {@code setMaxInactiveInterval}
 * is not supported (one timeout for all sessions).
 *
 * <p>Concurrent requests of one session merge per attribute: a request writes only the attributes
 * it set or removed (one hash field each), never the whole session, so requests that change
 * different attributes all survive, and for one attribute the last commit wins. An application that
 * needs a collection to merge keeps each element in an attribute of its own (the cart does: one per
 * line). Limits checked against the request's view ({@code max-bytes}, or an application's own, like
 * the cart's 50 lines) are therefore exact for sequential requests and may be overshot by requests
 * that run at the same time: by what each adds, at most once per concurrent request. That is the
 * price of not locking a session per request; such limits bound memory, they are not invariants.
 *
 * <p>A session that ended is never brought back: the save is one Lua script on one key (so it runs on
 * a Cluster; {@code RScript.eval} loads it again after a Redis restart) that writes the
 * changed attributes, deletes the removed ones and slides the expiry only if the key still exists —
 * or if the session was created by this very request and never stored (nobody else knows its id
 * yet). So a request still in flight when another one called {@code invalidate()} or
 * {@code changeSessionId()}, or when the session expired, writes nothing: its changes are dropped
 * (logged at FINE) and the cookie it holds is left alone (the client may already hold a newer one).
 * {@code invalidate()} deletes the key and expires the cookie. {@code changeSessionId()} takes the
 * stored state and deletes the old key in one script, then stores it with this request's changes
 * under a fresh id (two single-key steps for Cluster's sake: if the second fails, the session is
 * lost rather than kept under an id that should be dead); if the old key is already gone it throws
 * {@code IllegalStateException} and writes nothing.
 *
 * <p>When: the changes are written before the response is committed, so the client's next request,
 * on any instance, sees them, and a failure can still decide the answer. For JAX-RS,
 * {@link dev.larder.kit.sessions.boundary.SessionCommitFilter} (a response filter) commits after
 * the resource or exception mapper answered and before the entity is written: Redis unavailable
 * replaces the answer by a complete 503 problem+json, a codec error (a bug) by a 500. For other
 * servlets, {@link dev.larder.kit.sessions.boundary.CommittingResponse} commits when the body is
 * opened (or on flush, error, redirect); a failure there throws out of {@code getOutputStream()} and
 * the filter answers 503 problem+json if the servlet lets it through. After one failed commit a
 * request writes nothing more; changes after the body opened (streamed answers) are written when the
 * request ends. Redis unreachable when the session is read: 503 for requests that need a session,
 * the rest of the API untouched. Every call goes through the shared {@code RedisBreaker}.
 *
 * <p>Keys: {@code larder:session:<id>} (hash: {@code @created} and one field per attribute; expires
 * {@code larder.sessions.timeout} after the last request that used the session; deleted by the
 * expiry, {@code invalidate()} and {@code changeSessionId()}).
 */
package dev.larder.kit.sessions;
