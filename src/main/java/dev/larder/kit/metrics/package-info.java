/**
 * Conventions of the application's metrics at {@code /metrics} (MicroProfile Metrics, Prometheus
 * text), and the one piece they need: counters that follow counts kept elsewhere.
 *
 * <p>Conventions, for every metric of the kit and of an application built on it:
 * <ul>
 * <li>Names are {@code larder.<capability>.<what>} (dots, shown with underscores).</li>
 * <li>A monotonic count is a counter (shown as {@code <name>_total}, unit {@code none}); a gauge is
 * only for a level that goes up and down (open breaker, connected clients).</li>
 * <li>Every metric is registered with {@link org.eclipse.microprofile.metrics.Metadata}: a
 * description (the {@code # HELP} line) and a unit ({@code none} for counts and levels,
 * nanoseconds for timers, which the exporter shows in seconds: {@code <name>_seconds}).</li>
 * <li>Durations are timers (count, sum, max and quantiles): {@code larder_cache_load_seconds} per
 * cache and {@code larder_redis_call_seconds} per kind of Redis call.</li>
 * <li>Tags are bounded: a cache name, a call kind from the code; never a key, an id or a client.</li>
 * </ul>
 *
 * <p>Decisions: the counts that hot paths keep ({@code LongAdder}s in the caches and the breaker)
 * stay where they are; {@link dev.larder.kit.metrics.control.MirroredCounters} brings a counter of
 * the registry up to each of them once a second, so {@code /metrics} trails them by at most a second
 * and a hot path pays nothing for metrics beyond its own increment. MicroProfile Metrics 5 has no
 * counter backed by a function, and a gauge is the wrong type for a count.
 *
 * <p>Keys: none.
 */
package dev.larder.kit.metrics;
