/**
 * REST plumbing that any JAX-RS application can adopt: strict JSON bodies with a size limit
 * ({@link dev.larder.kit.rest.boundary.JsonBodies}) and one place that writes every error as
 * {@code application/problem+json} ({@link dev.larder.kit.rest.boundary.ProblemMapper}).
 *
 * <p>Decisions: JSON-B is switched off by the application so that one parser with one set of rules
 * sees every body; a 500 answer never carries internal detail (the log does).
 */
package dev.larder.kit.rest;
