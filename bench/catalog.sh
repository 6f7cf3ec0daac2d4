#!/usr/bin/env bash
# Hot-key GET vs the cold-miss path vs the server's no-op ceiling, in one run.
# Starts its own redis-server and one Payara Micro (H2, 10,000 seeded products) on free ports,
# warms ids 1..1000, then runs wrk (2 threads, 32 connections) against each path. Bounded: every
# wrk run has a fixed duration, and everything started here is stopped on exit.
#   bench/catalog.sh [seconds per run, default 15]
#   BENCH_DB=postgres bench/catalog.sh   the same against a PostgreSQL database of its own
#                                        (larder_bench_<port> on 127.0.0.1:5432, dropped on exit)
#   SEED=40000 bench/catalog.sh          more products, so that a fast cold run never walks past the
#                                        last id (a 404 is no miss); the run prints its non-2xx count
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-15}
. bench/lib.sh
redis_port=$(free_port)
app_port=$(free_port)
db_name="larder_bench_$app_port"
cleanup() {
  [ -n "${app_pid:-}" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  stop_redis "$redis_port"
  if [ "${BENCH_DB:-h2}" = postgres ]; then
    psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" || true
  fi
}
trap cleanup EXIT
if [ "${BENCH_DB:-h2}" = postgres ]; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $db_name"
  export LARDER_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db_name" LARDER_DB_USER=postgres LARDER_DB_PASSWORD=postgres
fi

start_redis "$redis_port"
export LARDER_RATELIMIT_ENABLED=false LARDER_REDIS_ADDRESS="redis://127.0.0.1:$redis_port" LARDER_SHOP_SEED_PRODUCTS=${SEED:-10000}
payara "$app_port" "$work/server.log"
app_pid=$!
base="http://127.0.0.1:$app_port"
for _ in $(seq 1 240); do
  curl -sf "$base/api/products/${SEED:-10000}" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -sf "$base/api/products/${SEED:-10000}" >/dev/null || { tail -40 "$work/server.log"; exit 1; }
curl -sf -X DELETE -H "Authorization: Bearer $TOKEN" "$base/api/caches/products" >/dev/null

echo "# Larder catalog benchmark (database: ${BENCH_DB:-h2}), $(machine), $(java -version 2>&1 | head -1)"
echo "## warm-up: ids 1..1000 once, then JIT warm-up on every path"
wrk -t1 -c1 -d3s -s bench/warm.lua "$base" >/dev/null
wrk -t2 -c32 -d5s "$base/api/ping" >/dev/null
wrk -t2 -c32 -d5s "$base/api/products/42" >/dev/null

run() { # name, wrk args...
  local name=$1; shift
  echo "## $name"
  wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency "$@" | grep -E "Requests/sec|^ +(50|99)%|requests in|Non-2xx"
}
# ceiling and hot key twice, interleaved: on two shared cores one run alone can be off by 2x
run "no-op ceiling: GET /api/ping" "$base/api/ping"
run "hot key: GET /api/products/42" "$base/api/products/42"
run "no-op ceiling again" "$base/api/ping"
run "hot key again" "$base/api/products/42"
misses_before=$(curl -s "$base/api/caches" | python3 -c 'import json,sys; print(next(c["misses"] for c in json.load(sys.stdin) if c["name"]=="products"))')
run "cold path: GET /api/products/<never asked before>, 5 s" -d5s -s bench/cold.lua "$base" -- 2
curl -s "$base/api/caches" | python3 -c "import json,sys; c=next(c for c in json.load(sys.stdin) if c['name']=='products'); print('cold-run misses (each a database load):', c['misses']-$misses_before, 'loads:', c['loads'], 'average load ms:', c['averageLoadMillis'])"
