#!/usr/bin/env bash
# Larder on one redis-server vs on a Redis Cluster (3 masters + 3 replicas), in one run: two
# loopback-only instances, each on a PostgreSQL database of its own (SEED products), one on each
# Redis, with the products' near cache off so that a hit is read from Redis (with it on, a hot hit
# never leaves the JVM and the two are the same): hot GET of one id, hits over a hot set of 1,000,
# and the cold miss path, measured alternately so that both see the same machine.
# Bounded: every wrk run has a fixed duration; everything started here is stopped on exit.
#   bench/cluster.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
SEED=${SEED:-30000}
. bench/lib.sh
redis_port=$(free_port)
single_port=$(free_port)
cluster_port=$(free_port)
cluster_dir="$work/cluster"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  stop_redis "$redis_port"
  bash src/test/sh/redis-cluster.sh stop "$cluster_dir" 2>/dev/null || true
  for port in "$single_port" "$cluster_port"; do
    psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS larder_bench_$port WITH (FORCE)" || true
  done
}
trap cleanup EXIT

start_redis "$redis_port"
bash src/test/sh/redis-cluster.sh start "$cluster_dir" >/dev/null
printf '%s\n' 'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' \
  'set configs.config.server-config.hazelcast-config-specific-configuration.enabled=false' > "$work/preboot.txt"
start_instance() { # port log env...
  local port=$1 log=$2; shift 2
  psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE larder_bench_$port"
  (
    export "$@" LARDER_CACHING_PRODUCTS_NEAR_ENABLED=false LARDER_RATELIMIT_ENABLED=false LARDER_SHOP_SEED_PRODUCTS="$SEED" \
      LARDER_DB_URL="jdbc:postgresql://127.0.0.1:5432/larder_bench_$port" LARDER_DB_USER=postgres LARDER_DB_PASSWORD=postgres
    payara "$port" "$log" --prebootcommandfile "$work/preboot.txt"
    echo $! > "$work/pid-$port"
  )
  pids+=("$(cat "$work/pid-$port")")
}
start_instance "$single_port" "$work/single.log" LARDER_REDIS_ADDRESS="redis://127.0.0.1:$redis_port"
start_instance "$cluster_port" "$work/cluster.log" LARDER_REDIS_CONFIG="$cluster_dir/redisson.yaml"
for port in "$single_port" "$cluster_port"; do
  for _ in $(seq 1 360); do
    curl -sf "http://127.0.0.1:$port/api/products/$SEED" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -sf "http://127.0.0.1:$port/api/products/$SEED" >/dev/null || { tail -40 "$work"/*.log; exit 1; }
done

echo "# Larder on one redis-server vs on Redis Cluster (3 masters + 3 replicas), $(machine), $(java -version 2>&1 | head -1)"
echo "## warm-up: ids 1..1000 once on each, then JIT warm-up"
for port in "$single_port" "$cluster_port"; do
  wrk -t1 -c1 -d3s -s bench/warm.lua "http://127.0.0.1:$port" >/dev/null
  wrk -t2 -c32 -d5s "http://127.0.0.1:$port/api/products/42" >/dev/null
done

run() { # name, wrk args...
  local name=$1; shift
  echo "## $name"
  wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency "$@" | grep -E "Requests/sec|^ +(50|99)%|requests in|Non-2xx"
}
next_cold=1001
for round in 1 2; do
  for which in single cluster; do
    port=$([ $which = single ] && echo "$single_port" || echo "$cluster_port")
    run "round $round, $which: hit, one id: GET /api/products/42" "http://127.0.0.1:$port/api/products/42"
    run "round $round, $which: hits over ids 1..1000" -s bench/hot.lua "http://127.0.0.1:$port"
    run "round $round, $which: cold miss, 5 s from id $next_cold" -d5s -s bench/cold.lua "http://127.0.0.1:$port" -- 2 "$next_cold"
  done
  next_cold=$((next_cold + 12000))
done
for port in "$single_port" "$cluster_port"; do
  echo "## cache counters of the instance on port $port"
  curl -s "http://127.0.0.1:$port/api/caches" | python3 -c 'import json,sys; c=next(c for c in json.load(sys.stdin) if c["name"]=="products"); print({k: c[k] for k in ("hits","nearHits","misses","loads") if k in c})'
done
echo "## cache entries per master of the cluster (every hash of the products cache, HLEN, on the master that holds it)"
for port in $(cut -d' ' -f1 "$cluster_dir/ports"); do
  role=$(redis-cli -p "$port" role | head -n 1)
  [ "$role" = master ] || continue
  entries=0
  for hash in $(redis-cli -p "$port" --scan --pattern 'larder:cache:products:*'); do
    entries=$((entries + $(redis-cli -p "$port" hlen "$hash")))
  done
  echo "master 127.0.0.1:$port: $entries entries, $(redis-cli -p "$port" dbsize) keys, $(redis-cli -p "$port" info memory | grep '^used_memory_human' | tr -d '\r')"
done
