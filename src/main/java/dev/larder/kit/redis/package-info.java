/**
 * Redis wiring: the application's one Redisson client, how its data is encoded, and the one circuit
 * breaker in front of it.
 *
 * <p>Decisions: the client comes from {@code larder.redis.config} (a Redisson YAML file, for single,
 * Sentinel, Cluster, replicated or master-slave) or else {@code larder.redis.address}, with small
 * pools (16 connections, 2 idle, per node), lazy connection (the application deploys while Redis is
 * down) and no command retries: a call costs at most {@code larder.redis.timeout}. These settings
 * apply to a YAML file's server configuration too and replace what the file says for them (the
 * breaker's bound rests on them; a replaced value is logged at start); so does where reads go,
 * {@code larder.redis.read-mode} ({@code MASTER} by default: a replica may lag behind an
 * invalidation the master already sent, and every script writes, so it runs on the master anyway),
 * with subscriptions always on masters. Credentials and trust come from their keys when set, else
 * from the file: {@code larder.redis.password} ({@code requirepass} or an ACL user's),
 * {@code larder.redis.username} (an ACL user; refused without a password), and
 * {@code larder.redis.tls.ca-file}, a PEM file of the certificate authorities for {@code rediss://}
 * addresses, read into an in-memory trust store; hostnames are verified (Redisson's {@code STRICT};
 * a file may relax it to {@code CA_ONLY}, never to {@code NONE}). The ACL rules Larder needs are in
 * the README ({@code ACL SETUSER larder ...}). It is built at
 * deployment ({@code @Initialized(ApplicationScoped.class)}) with configuration read through the
 * application's class loader, never by whichever request or readiness probe comes first (a probe's
 * thread cannot see the WAR's configuration); an empty allow-list fails the deployment. It is a
 * {@code @Singleton} producer (Redisson's JCache needs the concrete client, not a proxy) shut down on
 * undeploy. The codec is always {@link dev.larder.kit.redis.control.JsonCodec}: typed JSON with an
 * allow-list ({@code larder.redis.codec.allowed-types}), map keys as plain strings; never Kryo, never
 * Java serialization (CVE-2023-42809 and its kind).
 *
 * <p>Failures: {@link dev.larder.kit.redis.control.RedisFailures} tells an outage (unreachable,
 * refused, paused, slow) from a codec error (a value that cannot be written or read back: a bug,
 * counted in {@code larder_cache_codec_errors_total} and logged once per type by
 * {@link dev.larder.kit.redis.control.CodecErrors}) and from anything else (a bug, not caught).
 * {@link dev.larder.kit.redis.control.RedisBreaker} is shared by every Redis user: the first outage
 * opens it and is logged once with its cause; from then on every caller gets its fallback at once and
 * background probes (a new one every 250 ms even while earlier ones still wait for the timeout; never
 * a request) close it when Redis answers. While it is closed and no call got an answer for 100 ms
 * (an instance whose requests are answered from near copies, the response tier or leased
 * rate-limit permits makes no Redis call), the same probe watches Redis in the background, so an
 * outage opens the breaker within one timeout and an interval even on an idle instance, and its
 * next request that needs Redis does not wait out the timeout itself. Fallbacks, per
 * user: caches read from the database and skip their writes (fail-open); sessions answer 503 to the
 * requests that need one (fail-closed: a cart cannot be kept elsewhere); the rate limiter lets the
 * request through or answers 503, as {@code larder.ratelimit.fail-open} says; events are dropped (the
 * change is committed and its cache invalidation waits in the outbox). Metrics:
 * {@code larder_redis_breaker_open} (gauge), {@code larder_redis_breaker_opened_total},
 * {@code larder_redis_short_circuits_total}, {@code larder_redis_command_errors_total} (counters) and
 * {@code larder_redis_call_seconds{call=...}}, a timer of every call through the breaker by its action
 * (reported by the breaker to {@link dev.larder.kit.redis.control.RedisBreaker.CallTimes}). {@link dev.larder.kit.redis.boundary.RedisHealthCheck}
 * makes {@code /health/ready} down until deployment built the client, and while Redis is unavailable.
 * Why not MicroProfile Fault Tolerance's {@code @CircuitBreaker}: it keeps one breaker per annotated
 * method, so the caches, sessions and limiter would each have to find the outage for themselves,
 * and in its half-open state request threads make the trial calls and pay the timeout; here one
 * breaker serves every user and only a background probe ever waits on a Redis that does not answer.
 * Redisson's own settings do the rest: no retries, one timeout per call.
 *
 * <p>Failover: Redisson follows a new master itself (with Sentinel it asks a Sentinel for the master
 * every {@code scanInterval}), but a new master may have lost writes the old one acknowledged:
 * replication is asynchronous, and what an instance writes to the old master between the promotion
 * and the moment it follows is dropped when the old master resynchronises as a replica.
 * {@link dev.larder.kit.redis.control.MasterWatch} compares the {@code run_id} ({@code INFO server})
 * of every master Redisson routes to every 250 ms while the breaker is closed, when Redisson connects
 * to a node, and in the breaker's probe before it closes. A master that is another process than before
 * (a promotion, or a restart, which loses unsaved writes too) suspends the breaker
 * ({@link dev.larder.kit.redis.control.RedisBreaker#suspend}: for every caller an outage like any other,
 * counted and logged once) until the steps given to {@code whenMasterChanged} have run: the caches
 * invalidate everything they hold ({@code kit.caching}). Each instance notices on its own, so each also
 * clears what it keeps in memory. Why the {@code run_id} and not Redisson's connection events alone: an
 * event tells that a connection opened, not to which process, and Redisson raises it once per address
 * (a replica promoted at an address it already knew raises none); the events only make a check come
 * sooner. A Redis user without {@code INFO} (an ACL) is logged once and not watched.
 *
 * <p>Keys: this package writes none of its own.
 */
package dev.larder.kit.redis;
