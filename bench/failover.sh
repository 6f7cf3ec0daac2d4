#!/usr/bin/env bash
# Larder through a forced Redis Sentinel failover: one Payara Micro instance on a Sentinel group of
# its own (a master, a replica, three Sentinels: redis-server processes on free ports of 127.0.0.1,
# never 6379), a Redisson YAML file (LARDER_REDIS_CONFIG) and a PostgreSQL database of its own
# (larder_bench_<port>, 10,000 seeded products, dropped on exit), rate limiting off.
# Load: wrk, 32 threads x 1 connection, bench/faults.lua (hot GETs of ids 1..1000, one request in 10
# a category page), three phases of PHASE_SECONDS (default 10): before / failover / after, a request
# filed under the phase in which it was sent; SENTINEL FAILOVER at the start of the second phase
# (bench/failover.py watch, which also times the promotion, the Sentinels' announcement, the first
# HGET the new master serves and the old master's demotion). Beside it a writer (failover.py write)
# renames 20 other products in turn (PUT, then GET) and times every request, and after the run every
# one of them is compared with the database. From the server log: when the instance noticed the new
# master and when its breaker closed again, relative to the SENTINEL FAILOVER command.
# Bounded: fixed-length wrk run, bounded waits; everything started here is stopped on exit.
#   bench/failover.sh [seconds per phase, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
PHASE_SECONDS=${1:-10}
CONNECTIONS=32
TAIL_SECONDS=10
MASTER_NAME=larder
WRITTEN=$(seq -s, 2001 2020)
. bench/lib.sh
app_port=$(free_port)
master_port=$(free_port)
replica_port=$(free_port)
sentinel_ports=("$(free_port)" "$(free_port)" "$(free_port)")
db="larder_bench_$app_port"
base="http://127.0.0.1:$app_port"
app_pid=""
load_pid=""
helper_pids=()

now_ms() { date +%s%3N; }
load() { # wrk ARGS...: in the background, so that a signal interrupts the wait and the cleanup runs at once
  wrk "$@" &
  load_pid=$!
  wait "$load_pid"
  load_pid=""
}
redis_node() { # port [more redis-server args]
  local port=$1; shift
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --dir "$work" \
    --logfile "$work/redis-$port.log" --pidfile "$work/redis-$port.pid" "$@"
}
sentinel() { # port
  printf '%s\n' "sentinel monitor $MASTER_NAME 127.0.0.1 $master_port 2" \
    "sentinel down-after-milliseconds $MASTER_NAME 1000" "sentinel failover-timeout $MASTER_NAME 60000" > "$work/sentinel-$1.conf"
  redis-server "$work/sentinel-$1.conf" --sentinel --port "$1" --bind 127.0.0.1 --daemonize yes --dir "$work" \
    --logfile "$work/sentinel-$1.log" --pidfile "$work/sentinel-$1.pid"
}
group_settled() { # every Sentinel lists the replica with a live link, and two other Sentinels
  local s
  for s in "${sentinel_ports[@]}"; do
    timeout 2 redis-cli -p "$s" sentinel replicas "$MASTER_NAME" 2>/dev/null | grep -qx ok || return 1
    [ "$(timeout 2 redis-cli -p "$s" sentinel sentinels "$MASTER_NAME" 2>/dev/null | grep -cx name)" = 2 ] || return 1
  done
}
stop_app() { # SIGTERM, then SIGKILL if it has not exited within 30 s
  [ -n "$app_pid" ] || return 0
  kill "$app_pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    ps -o stat= -p "$app_pid" | grep -q '^[^Z]' || break
    sleep 0.5
  done
  kill -KILL "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
}
cleanup() {
  if [ -n "$load_pid" ]; then kill "$load_pid" 2>/dev/null || true; wait "$load_pid" 2>/dev/null || true; fi
  local pid
  for pid in "${helper_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  stop_app
  for port in "${sentinel_ports[@]}" "$master_port" "$replica_port"; do
    timeout 10 redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  done
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  rm -rf "$work"/root-*   # Payara's unpacked runtime; logs and per-request records stay in $work
}
trap cleanup EXIT
trap 'exit 130' INT TERM

redis_node "$master_port"
redis_node "$replica_port" --replicaof 127.0.0.1 "$master_port"
for s in "${sentinel_ports[@]}"; do sentinel "$s"; done
for _ in $(seq 1 60); do group_settled && break; sleep 0.5; done
group_settled || { echo "the Sentinel group did not settle within 30 s" >&2; exit 1; }
sentinel_list=$(printf '    - "redis://127.0.0.1:%s"\n' "${sentinel_ports[@]}")
cat > "$work/redisson.yaml" <<EOF
sentinelServersConfig:
  masterName: "$MASTER_NAME"
  sentinelAddresses:
$sentinel_list
  scanInterval: 250
  timeout: 1000
  connectTimeout: 1000
  retryAttempts: 0
  readMode: "MASTER"
  subscriptionMode: "MASTER"
  masterConnectionPoolSize: 16
  masterConnectionMinimumIdleSize: 2
  subscriptionConnectionPoolSize: 4
  subscriptionConnectionMinimumIdleSize: 1
threads: 4
nettyThreads: 4
EOF

psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $db"
export LARDER_RATELIMIT_ENABLED=false LARDER_REDIS_CONFIG="$work/redisson.yaml" LARDER_SHOP_SEED_PRODUCTS=10000 \
  LARDER_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" LARDER_DB_USER=postgres LARDER_DB_PASSWORD=postgres
# Loopback only: the HTTP listener binds 127.0.0.1, Payara's Hazelcast data grid is switched off.
printf '%s\n' \
  'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' \
  'set configs.config.server-config.hazelcast-config-specific-configuration.enabled=false' > "$work/preboot.txt"

echo "# Larder through a Redis Sentinel failover, $(machine), $(java -version 2>&1 | head -1), PostgreSQL, one instance"
echo "# Sentinel group: master :$master_port, replica :$replica_port, Sentinels :${sentinel_ports[*]} (quorum 2, down-after 1 s);"
echo "# Redisson: sentinelServersConfig, scanInterval 250 ms, timeout 1 s, no retries, reads and subscriptions on the master"
echo "# phases of $PHASE_SECONDS s: before / failover / after; SENTINEL FAILOVER at +$PHASE_SECONDS s;"
echo "# wrk $CONNECTIONS threads x 1 connection; a request belongs to the phase in which it was sent; commit $(git rev-parse --short HEAD)"
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
payara "$app_port" "$work/server.log" --prebootcommandfile "$work/preboot.txt"
app_pid=$!
for _ in $(seq 1 240); do
  curl -sf --max-time 2 "$base/api/products/10000" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -sf --max-time 5 "$base/api/products/10000" >/dev/null || { tail -40 "$work/server.log"; exit 1; }
load -t1 -c1 -d3s -s bench/warm.lua "$base" >/dev/null
load -t"$CONNECTIONS" -c"$CONNECTIONS" -d15s -s bench/faults.lua "$base" -- 0 1 0 10 /dev/null >/dev/null   # JIT warm-up
echo "## cold path on this instance: GET /api/products/<never asked before>, 5 s"
load -t2 -c"$CONNECTIONS" -d5s --latency -s bench/cold.lua "$base" -- 2 > "$work/cold.txt"
grep -E "Requests/sec|^ +(50|99)%|requests in|Non-2xx" "$work/cold.txt"
cold=$(awk '/Requests\/sec/{print $2}' "$work/cold.txt")
# the write path's first requests are slow (classes loaded, code compiled): 3 s of the writer, not recorded
python3 bench/failover.py write "$base" "$TOKEN" "$(now_ms)" 3000 1 "$WRITTEN" /dev/null > /dev/null
load -t1 -c1 -d3s -s bench/warm.lua "$base" >/dev/null

echo "## failover under load"
log_lines=$(wc -l < "$work/server.log")
t0=$(($(now_ms) + 2000))
python3 bench/failover.py watch "$((t0 + PHASE_SECONDS * 1000))" "$(IFS=,; echo "${sentinel_ports[*]}")" "$MASTER_NAME" \
  "$master_port" "$replica_port" > "$work/watch.txt" &
helper_pids+=($!)
python3 bench/failover.py write "$base" "$TOKEN" "$t0" "$((PHASE_SECONDS * 1000))" 3 "$WRITTEN" "$work/writes.records" > "$work/writes.txt" &
helper_pids+=($!)
load -t"$CONNECTIONS" -c"$CONNECTIONS" -d"$((2 + 3 * PHASE_SECONDS + TAIL_SECONDS))s" --timeout 60s -s bench/faults.lua "$base" \
  -- "$t0" "$((PHASE_SECONDS * 1000))" 3 10 "$work/reads.records" > "$work/reads.wrk"
for pid in "${helper_pids[@]}"; do wait "$pid"; done
helper_pids=()
grep -v '^FAILOVER_SENT_MS=' "$work/watch.txt"
sent_ms=$(sed -n 's/^FAILOVER_SENT_MS=//p' "$work/watch.txt")
echo "  the instance's log, after the command:"
tail -n +"$((log_lines + 1))" "$work/server.log" | grep -E "another server process|Followed the new Redis master|Redis answers again|Redis is unavailable|Invalidated every cache" \
  | sed -E 's/.*\[timeMillis: ([0-9]+)\].*\[levelValue: [0-9]+\] *([^;(]*).*/\1 \2/' \
  | awk -v sent="$sent_ms" '{ t = $1 - sent; $1 = ""; printf "    %+d ms:%s\n", t, $0 }'
grep -E "requests in|Socket errors|Non-2xx" "$work/reads.wrk" | sed 's/^ */  wrk (whole run, warm-in and tail included): /'
python3 bench/faults_report.py "$work/reads.records" "$PHASE_SECONDS" 1000 "$cold" before failover after
cat "$work/writes.txt"
python3 bench/failover.py stale "$base" "$db" "$WRITTEN"
curl -s --max-time 10 "$base/api/caches" | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    if c["name"] in ("products", "product-pages"):
        print("  cache {name} since start: hits {hits} (near {nearHits}, answers kept {responseHits}, Redis {remoteHits}), misses {misses}, loads {loads}".format(**c))' || echo "  (no cache statistics)"
echo "  load average after the run: $(cut -d' ' -f1-3 /proc/loadavg) (others' work on the same cores counts too)"
echo "  server log: $(tail -n +"$((log_lines + 1))" "$work/server.log" | grep -cE 'WARNING|SEVERE') new WARNING/SEVERE lines; kept in $work"
