/**
 * Rate limiting as a servlet filter that any Jakarta EE WAR can map.
 *
 * <p>Decisions: a sliding window counted in 20 buckets per window, in one Lua script per decision
 * (a hash of bucket counts, by Redis's clock): it never admits more than the limit in any window, it
 * admits exactly the limit of any number of concurrent requests across any number of instances, and
 * it costs at most ~400 bytes of Redis per client and policy whatever the limit (measured with
 * {@code MEMORY USAGE}: 392 bytes with all 21 buckets of a window holding admissions, about 100 when a client is idle or bursty; the
 * sliding log it replaces held one member per admission, 10,000 members at 10,000/min). The price:
 * an admission is forgotten between one window and one window plus one bucket (1/20) after it, so a
 * client at its limit for long gets up to 5 % less. Policies per route pattern and method from
 * configuration, the default policy for everything else, {@code /health}, {@code /metrics} and
 * {@code /openapi} excluded.
 *
 * <p>Client identity cannot be forged: {@code X-API-Key} counts only when it is known
 * ({@code larder.ratelimit.api-keys}: SHA-256 hashes, each optionally {@code =<policy>} to bind the
 * key to a policy that replaces the route's); an unknown key is ignored (the request counts against
 * its address; the default) or refused with 401 ({@code larder.ratelimit.unknown-api-keys=reject}).
 * So a client that sends a fresh random key with every request gets no fresh quota and adds no keys
 * to Redis. Otherwise the peer address; {@code X-Forwarded-For} only from
 * {@code larder.ratelimit.trusted-proxies}. Answers carry {@code RateLimit-Policy} and
 * {@code RateLimit} (draft-ietf-httpapi-ratelimit-headers); refusals are 429 problem+json with
 * {@code Retry-After}. Redis unavailable: fail-open by default (configurable), behind the shared
 * breaker, counted in {@code larder_ratelimit_unavailable_total}.
 *
 * <p>Keys: {@code larder:ratelimit:<policy>:<client>} (hash of bucket number to count; expires one
 * window plus one bucket after the last admission; stale buckets are deleted by the next decision).
 * Out of scope: keying authenticated callers by their token's subject (the filter runs before
 * authentication).
 */
package dev.larder.kit.ratelimiting;
