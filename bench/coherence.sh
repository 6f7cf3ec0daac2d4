#!/usr/bin/env bash
# Near cache vs Redis-only vs the no-op ceiling, and a stampede across two instances, in one run.
# Starts its own redis-server, a PostgreSQL database of its own (larder_bench_<port>, dropped on
# exit) and two Payara Micro instances: A with the products near cache (the default), B without it.
# Bounded: fixed-length wrk runs and a fixed number of stampede rounds; everything is stopped on exit.
#   bench/coherence.sh [seconds per wrk run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-15}
. bench/lib.sh
redis_port=$(free_port); port_a=$(free_port); port_b=$(free_port)
db="larder_bench_$port_a"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  stop_redis "$redis_port"
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
}
trap cleanup EXIT
start_redis "$redis_port"
psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $db"
export LARDER_RATELIMIT_ENABLED=false LARDER_REDIS_ADDRESS="redis://127.0.0.1:$redis_port" LARDER_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
  LARDER_DB_USER=postgres LARDER_DB_PASSWORD=postgres
start() { # port, log, NAME=value for this instance only...
  local port=$1 log=$2 assignment; shift 2
  for assignment in "$@"; do export "${assignment?}"; done
  payara "$port" "$log"
  pids+=($!)
  for assignment in "$@"; do unset "${assignment%%=*}"; done
}
await() { # base, log
  for _ in $(seq 1 240); do curl -sf "$1/api/products/1000" >/dev/null 2>&1 && return 0; sleep 0.5; done
  tail -40 "$2"; exit 1
}
a="http://127.0.0.1:$port_a"; b="http://127.0.0.1:$port_b"
start "$port_a" "$work/a.log" LARDER_SHOP_SEED_PRODUCTS=10000
await "$a" "$work/a.log"
start "$port_b" "$work/b.log" LARDER_CACHING_PRODUCTS_NEAR_ENABLED=false
await "$b" "$work/b.log"

echo "# Larder coherence benchmark, $(machine), PostgreSQL, two instances"
for base in "$a" "$b"; do
  wrk -t2 -c32 -d5s "$base/api/ping" >/dev/null
  wrk -t2 -c32 -d5s "$base/api/products/42" >/dev/null
done
run() { # name, url
  echo "## $1"
  wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency "$2" | grep -E "Requests/sec|^ +(50|99)%|requests in|Non-2xx"
}
run "no-op ceiling: GET /api/ping on A" "$a/api/ping"
run "near cache: GET /api/products/42 on A" "$a/api/products/42"
run "Redis only: GET /api/products/42 on B (near cache off)" "$b/api/products/42"
echo "## stampede: the hot key invalidated everywhere, then 500 concurrent GETs over A and B"
python3 bench/stampede.py 5 500 42 "$a" "$b"
