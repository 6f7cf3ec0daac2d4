#!/usr/bin/env bash
# The cost of the rate limiter and of the session filter on the hot GET (near-cache hit), each on
# vs off: one Payara Micro per configuration (H2, 1,000 products, its own redis-server), wrk with
# 2 threads and 32 connections, bounded runs; everything started here is stopped on exit.
#   bench/filters.sh [seconds per run, default 15]
#   ONLY=sessions bench/filters.sh   the session pair only, twice in alternating order (to see the spread)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-15}
. bench/lib.sh
redis_port=$(free_port)
app_pid=""
stop_app() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  app_pid=""
}
cleanup() { stop_app || true; stop_redis "$redis_port"; }
trap cleanup EXIT
start_redis "$redis_port"

measure() { # name, limiter on/off, sessions on/off, near cache on/off, path, extra wrk args...
  local name=$1 limiter=$2 sessions=$3 near=$4 path=$5; shift 5
  local port; port=$(free_port)
  LARDER_REDIS_ADDRESS="redis://127.0.0.1:$redis_port" LARDER_SHOP_SEED_PRODUCTS=1000 \
    LARDER_RATELIMIT_ENABLED="$limiter" LARDER_RATELIMIT_DEFAULT_LIMIT=100000000 LARDER_SESSIONS_ENABLED="$sessions" LARDER_CACHING_PRODUCTS_NEAR_ENABLED="$near" \
    payara "$port" "$work/$port.log"
  app_pid=$!
  local base="http://127.0.0.1:$port"
  for _ in $(seq 1 240); do curl -sf "$base/api/products/42" >/dev/null 2>&1 && break; sleep 0.5; done
  wrk -t2 -c32 -d20s "$@" "$base$path" >/dev/null   # JIT warm-up (a shorter one leaves the first runs 2x slow)
  echo "## $name"
  wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency "$@" "$base$path" | grep -E "Requests/sec|^ +(50|99)%|Non-2xx"
  stop_app
}

echo "# Larder filter cost benchmark, $(machine)"
if [ "${ONLY:-}" = sessions ]; then
  for round in 1 2; do
    measure "round $round: near-cache hit, both off (baseline)" false false true /api/products/42
    measure "round $round: near-cache hit, sessions on" false true true /api/products/42
  done
  exit 0
fi
measure "near-cache hit, limiter off, sessions off (baseline)" false false true /api/products/42
measure "near-cache hit, limiter on (one Lua decision per request)" true false true /api/products/42
measure "near-cache hit, sessions on (the GET never asks for a session)" false true true /api/products/42
measure "near-cache hit, both on" true true true /api/products/42
measure "Redis hit (near cache off), limiter off" false false false /api/products/42
measure "Redis hit (near cache off), limiter on" true false false /api/products/42
