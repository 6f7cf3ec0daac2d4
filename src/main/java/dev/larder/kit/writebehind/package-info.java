/**
 * Durable write-behind of counters: a write is acknowledged once it is durable in Redis, and every
 * instance's flusher adds it to the database later, in batches, exactly once, even when an instance
 * dies in the middle of a flush. A user calls {@link dev.larder.kit.writebehind.control.WriteBehind#start}
 * once with a log name and "apply these sums per key inside this transaction", and appends writes to
 * the {@link dev.larder.kit.writebehind.control.CounterLog} it gets back.
 *
 * <p>Decisions:
 * <ul>
 * <li>A write is one stream entry ({@code XADD}, {@code key} and {@code amount}), appended by a script
 * that also adds it to a running total per key; {@code null} from the append (Redis unavailable, the
 * shared breaker open) must be refused to the client (the shop answers 503), never dropped.</li>
 * <li>"Durable in Redis" is as durable as Redis's own persistence: the append answers once Redis
 * holds the entry in memory (no {@code WAIT}, no fsync). Run Redis with an append-only file
 * ({@code appendonly yes}, {@code appendfsync everysec}: at most about a second of accepted writes
 * lost if Redis itself crashes; {@code compose.yaml} does); without persistence, a Redis restart
 * loses every accepted write not flushed yet. With replicas, a failover may lose what the replica had
 * not received.</li>
 * <li>One consumer group per log; each instance is one consumer, named {@code pid-<pid>-<random>} anew
 * at every start. Every {@code larder.writebehind.delay} (managed thread, so JPA and JTA work) a
 * flusher first takes over, with {@code XAUTOCLAIM}, entries pending on any consumer for at least
 * {@code larder.writebehind.claim-idle} (a consumer that was killed, or whose transaction failed),
 * then reads new entries ({@code XREADGROUP ... >}) a batch ({@code larder.writebehind.batch}) at a
 * time until a read returns less than a batch. Reads do not {@code BLOCK}: a blocking read would hold
 * a pooled connection and outlast the Redis timeout the shared breaker judges by; polling at the
 * delay bounds the latency the same way.</li>
 * <li>A batch is applied in one new database transaction that also inserts each entry's id into
 * {@code larder_applied_entries} (primary key: log and entry id) and skips ids already there; only
 * after the commit are the entries acknowledged, by one script that {@code XACK}s and {@code XDEL}s
 * them, so the stream holds only entries not yet in the database. A crash before the commit leaves
 * the entries pending (claimed later); a crash between commit and acknowledgement leaves them
 * pending too, and the claimer skips them; two instances applying one entry at once collide on the
 * primary key and one rolls back. Once a minute each instance forgets the applied ids older than
 * both the oldest entry still in the stream (stream ids only grow, so those entries can never be
 * delivered again) and {@code larder.writebehind.keep-applied} (1 h): the table holds about an hour
 * of writes, not every write ever. The hour guards a flusher that read a batch, stalled (a GC pause,
 * a suspended VM) while another instance claimed and applied it, and then committed it: stalled
 * longer than that, it would count the batch twice.</li>
 * <li>A lost group or stream ({@code NOGROUP}: Redis restarted empty) and an existing group
 * ({@code BUSYGROUP}) are answers about the data, kept away from the shared breaker; the flusher
 * creates the group again. No flush runs while the breaker is open.</li>
 * <li>At shutdown (on {@code @BeforeDestroyed(ApplicationScoped.class)}; in {@code @PreDestroy} the
 * transaction failed, the entries stayed pending) each flusher stops its schedule, waits for a
 * running round, then flushes the entries it holds and what is new. The drain only saves the claim
 * delay: if it fails, or a {@code kill -9} skips it, the entries stay pending and others claim them.</li>
 * </ul>
 *
 * <p>Redis keys (hash-tagged, so the append script is one slot on a cluster), for a log {@code <name>}:
 * {@code larder:{<name>}} (stream; only unflushed entries: each is deleted when acknowledged; no
 * expiry, since an expiring stream would lose writes; empty in a quiet system), its group
 * {@code larder-<name>}, and {@code larder:{<name>}:totals} (hash: key → the database count when the
 * key was first seen plus every amount accepted since; expires 7 days after the last write to any
 * key, deleted by nobody else). The total lets a reader show "database plus pending" without a
 * window (the shop's catalog shows views that way).
 *
 * <p>Metrics: {@code larder_writebehind_flushed_total{log=<name>}}, entries this instance applied to
 * the database.
 *
 * <p>Out of scope: writes other than adding to counters; ordering between keys; exactly-once towards
 * the client (a client that retries a write whose answer it lost counts it twice).
 */
package dev.larder.kit.writebehind;
