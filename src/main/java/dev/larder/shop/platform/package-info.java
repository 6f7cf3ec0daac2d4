/**
 * What the shop needs from the platform: the JAX-RS application at {@code /api}, the data source
 * (embedded H2 unless {@code larder.db.url} names PostgreSQL), the schema (Flyway migrations in
 * {@code db/migration}, run by {@link dev.larder.shop.platform.control.Migrations} at deployment
 * before any other start-up step), database readiness, and the static {@code /api/ping} used as the
 * server's ceiling in benchmarks.
 *
 * <p>Decisions: the data source's settings are MicroProfile Config expressions with the embedded
 * defaults written into them as well, because Payara resolves them once during deployment where the
 * WAR's own configuration is not visible yet (it logged "no value found" for each); for the same
 * reason its class is fixed, {@link dev.larder.shop.platform.control.UrlDataSource}, which picks
 * PostgreSQL's or H2's data source from the URL. The schema is
 * never generated from the entities: V1 is the schema EclipseLink used to generate, written with
 * {@code IF NOT EXISTS}, and a database that the generated DDL made is baselined at version 0 and
 * completed by V1, not rebuilt. The kit's two tables ({@code larder_cache_outbox},
 * {@code larder_applied_entries}) are part of this application's schema; another application that
 * adopts the kit adds them to its own migrations.
 */
package dev.larder.shop.platform;
