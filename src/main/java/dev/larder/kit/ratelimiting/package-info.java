/**
 * Rate limiting as a servlet filter that any Jakarta EE WAR can map.
 *
 * <p>Decisions: an exact sliding window in one Lua script per decision (sorted set of admissions
 * scored by Redis's clock): exact under concurrency across any number of instances, every key
 * expiring one window after its last admission. Policies per route pattern and method from
 * configuration, the default policy for everything else, {@code /health}, {@code /metrics} and
 * {@code /openapi} excluded. Client identity: the SHA-256 of {@code X-API-Key}, else the peer address;
 * {@code X-Forwarded-For} only from {@code larder.ratelimit.trusted-proxies}. Answers carry
 * {@code RateLimit-Policy} and {@code RateLimit} (draft-ietf-httpapi-ratelimit-headers); refusals are
 * 429 problem+json with {@code Retry-After}. Redis unreachable: fail-open by default (configurable),
 * counted and logged once.
 *
 * <p>Keys: {@code larder:ratelimit:<policy>:<client>} (sorted set, expires one window after the last
 * admission). Memory grows with the limit (one member per admitted request in the window), so very
 * large limits (above tens of thousands per window) would want a counter-based algorithm instead.
 */
package dev.larder.kit.ratelimiting;
