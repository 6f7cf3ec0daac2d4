/**
 * What the shop needs from the platform: the JAX-RS application at {@code /api}, the data source
 * (embedded H2 unless {@code larder.db.url} names PostgreSQL), database readiness, and the static
 * {@code /api/ping} used as the server's ceiling in benchmarks.
 */
package dev.larder.shop.platform;
