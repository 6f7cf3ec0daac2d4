/**
 * Rate limiting as a servlet filter that any Jakarta EE WAR can map.
 *
 * <p>Decisions: a sliding window counted in 20 buckets per window, in one Lua script (a hash of
 * bucket counts, by Redis's clock; one call decides one request or a group of them, below): it never admits more than the limit in any window, it
 * admits exactly the limit of any number of concurrent requests across any number of instances, and
 * it costs at most ~400 bytes of Redis per client and policy whatever the limit (measured with
 * {@code MEMORY USAGE}: 392 bytes with all 21 buckets of a window holding admissions, about 100 when a client is idle or bursty; the
 * sliding log it replaces held one member per admission, 10,000 members at 10,000/min). The price:
 * an admission is forgotten between one window and one window plus one bucket (1/20) after it, so a
 * client at its limit for long gets up to 5 % less.
 *
 * <p>Decisions cost a fraction of a round trip each, or none:
 * <ul>
 * <li>Concurrent requests of one client share script calls (while a call for the client is out,
 * the requests that arrive wait together; the next call asks the script for all their permits at
 * once, which grants as many as the window holds, atomically, and they go to the waiting requests
 * in arrival order), so at most one call per client and instance is out at a time.
 * <li>A client an instance sees often (4 decisions in 100 ms) gets <b>leases</b>: the script counts
 * up to twice the recent demand (at most 1,024, and at most an eighth of what the window still
 * holds) as admitted now and records the lease in the client's hash; the instance hands those
 * permits out from memory until the lease ends (100 ms at most, never past the end of the bucket
 * they were counted in, measured from when the call was sent, so never later than Redis's end) and
 * gives back what it did not hand out with its next call or, at the latest, when the lease ends.
 * Exactness survives: nothing is admitted that was not counted, so the limit is never exceeded;
 * and a request the window cannot admit while another instance holds a lease waits for that lease
 * to be given back and asks again instead of being refused, so exactly the limit is admitted. A
 * holder that dies holds others up until 200 ms after its lease's end; what it had not handed out
 * stays counted until it leaves the window (the one way to admit less than the limit, bounded by
 * one lease; a clean stop gives its leases back). RateLimiterTest: 8,000 decisions over two
 * limiters at limit 5,000 → exactly 5,000 admitted, 4,900 of them from leases, 58 script calls;
 * an instance that falls idle with a lease gives it back to the busy one (400 of 400); a dead
 * holder's lease costs at most itself.
 * <li>A client found at its limit with no lease outstanding is refused from memory until its
 * oldest admission is forgotten, without asking Redis: nothing can free a permit before then, so
 * this is the answer Redis would give (measured from when the answer arrived, so at most one round
 * trip later than Redis's own reset: never an earlier admission). At most 10,000 such clients are
 * remembered per instance; forgetting one only costs a round trip.
 * </ul>
 * Rejected alternative: a fixed share of the permits per instance (no round trip at all) admits
 * fewer than the limit when the shares are uneven; leases are shares that are small, short and
 * given back.
 *
 * <p>Policies per route pattern and method from configuration, the default policy for everything
 * else, {@code /health}, {@code /metrics} and {@code /openapi} excluded.
 *
 * <p>Client identity cannot be forged: {@code X-API-Key} counts only when it is known
 * ({@code larder.ratelimit.api-keys}: SHA-256 hashes, each optionally {@code =<policy>} to bind the
 * key to a policy that replaces the route's); an unknown key is ignored (the request counts as if it
 * had sent none; the default) or refused with 401 ({@code larder.ratelimit.unknown-api-keys=reject}).
 * So a client that sends a fresh random key with every request gets no fresh quota and adds no keys
 * to Redis. Otherwise a caller with a valid bearer token counts against the token's subject
 * ({@code sub:} and the first 32 hex digits of its SHA-256: a bounded key that does not show who it
 * is), wherever it connects from. The filter never reads the token itself: on Payara, MP-JWT is a
 * Jakarta Security authentication mechanism that the container runs before the filter chain, on
 * every request that carries a token (anonymous routes included): a valid one leaves its
 * {@code JsonWebToken} as the request's principal, which is all the filter looks at, and a bad one
 * is refused with 401 before any filter runs. So a request with a bad token is never counted (each
 * costs the server a signature check, not a Redis call), and one the server accepts but
 * {@code kit.access} refuses later (an {@code nbf} in the future) counts against its subject.
 * Otherwise the peer address; {@code X-Forwarded-For} only from
 * {@code larder.ratelimit.trusted-proxies}. Answers carry {@code RateLimit-Policy} and
 * {@code RateLimit} (draft-ietf-httpapi-ratelimit-headers); refusals are 429 problem+json with
 * {@code Retry-After}. Redis unavailable: fail-open by default (configurable), behind the shared
 * breaker, counted in {@code larder_ratelimit_unavailable_total}.
 *
 * <p>Keys: {@code larder:ratelimit:<policy>:<client>} (client {@code key:<32 hex>},
 * {@code sub:<32 hex>} or {@code ip:<address>}; hash of bucket number to count, plus one field
 * {@code lease:<holder>} per instance holding a lease; expires one window plus one bucket after the
 * last admission; stale buckets and leases are deleted by the next decision).
 */
package dev.larder.kit.ratelimiting;
