/**
 * Redis wiring: the application's one Redisson client and how its data is encoded.
 *
 * <p>Decisions: the client comes from {@code larder.redis.config} (a Redisson YAML file, for single,
 * Sentinel or Cluster) or else {@code larder.redis.address} + {@code larder.redis.password}, with
 * small pools (16 connections, 2 idle) and lazy start, so the application deploys while Redis is
 * down. It is a {@code @Singleton} producer (Redisson's JCache needs the concrete client, not a
 * proxy) shut down on undeploy. The codec is always {@link dev.larder.kit.redis.control.JsonCodec}:
 * typed JSON with an allow-list ({@code larder.redis.codec.allowed-types}), map keys as plain
 * strings; never Kryo, never Java serialization (CVE-2023-42809 and its kind).
 * {@link dev.larder.kit.redis.control.RedisOutage} logs a Redis failure once with its cause and the
 * recovery once. {@link dev.larder.kit.redis.boundary.RedisHealthCheck} makes {@code /health/ready}
 * follow Redis.
 *
 * <p>Keys: this package writes none of its own.
 */
package dev.larder.kit.redis;
