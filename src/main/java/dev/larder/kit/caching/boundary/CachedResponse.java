package dev.larder.kit.caching.boundary;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opts a JAX-RS {@code GET} resource method into the response tier: once its answer was made from
 * near-cache entries only, the serialised bytes (with their {@code ETag}) are kept beside those
 * entries, and later requests for the same URI are answered from a servlet filter before JAX-RS,
 * for exactly as long as every one of those entries is still the one in the near cache (so an
 * invalidation of any of them, from this instance, the bus or the outbox, ends the bytes too).
 *
 * <p>Only for answers that depend on nothing but the request URI and cached values read through
 * {@code @CacheResult}: not on the session, credentials, cookies or request headers (other than
 * {@code Accept} and {@code If-None-Match}, which the tier honours). Anything else the answer shows
 * must invalidate the cached entry when it changes (the catalog drops a product's near entries when
 * a view is counted). Answers that are not 200, set a cookie, or were made from Redis or the
 * database rather than the near cache are never kept, nor those of a method or class that asks for
 * a role ({@code @RolesAllowed}, {@code @DenyAll}): the tier answers before any check.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CachedResponse {
}
