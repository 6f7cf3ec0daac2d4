#!/usr/bin/env bash
# Checkout throughput: one Payara Micro instance on PostgreSQL (a database of its own, dropped on
# exit) and a private redis-server, 10,000 seeded products whose stock is raised so nothing runs
# out; then wrk runs N connections, each alternating "PUT a cart line in a new session" and
# "POST /api/orders" (bench/checkout.lua), for a fixed time, twice. Bounded; loopback only.
#   bench/checkout.sh [seconds per run, default 15] [connections, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-15}
CONNECTIONS=${2:-8}
. bench/lib.sh
redis_port=$(free_port)
app_port=$(free_port)
db="larder_bench_$app_port"
cleanup() {
  [ -n "${app_pid:-}" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  stop_redis "$redis_port"
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
}
trap cleanup EXIT
psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $db"
start_redis "$redis_port"
export LARDER_RATELIMIT_ENABLED=false LARDER_REDIS_ADDRESS="redis://127.0.0.1:$redis_port" LARDER_SHOP_SEED_PRODUCTS=10000 \
  LARDER_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" LARDER_DB_USER=postgres LARDER_DB_PASSWORD=postgres
printf '%s\n' 'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' \
  'set configs.config.server-config.hazelcast-config-specific-configuration.enabled=false' > "$work/preboot.txt"
payara "$app_port" "$work/server.log" --prebootcommandfile "$work/preboot.txt"
app_pid=$!
base="http://127.0.0.1:$app_port"
for _ in $(seq 1 240); do
  curl -sf "$base/api/products/10000" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -sf "$base/api/products/10000" >/dev/null || { tail -40 "$work/server.log"; exit 1; }
psql -h 127.0.0.1 -U postgres -d "$db" -qc "update product set stock = 100000000"
redis-cli -p "$redis_port" del larder:cache:products >/dev/null # nothing read so far is kept with the old stock
echo "# Larder checkout benchmark, $(machine), $(java -version 2>&1 | head -1), PostgreSQL, $CONNECTIONS connections"
wrk -t1 -c1 -d3s -s bench/warm.lua "$base" >/dev/null
wrk -t"$CONNECTIONS" -c"$CONNECTIONS" -d5s -s bench/checkout.lua "$base" >/dev/null # JIT warm-up
for run in 1 2; do
  echo "## run $run: PUT a cart line + POST /api/orders, ${SECONDS_PER_RUN} s"
  wrk -t"$CONNECTIONS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s bench/checkout.lua "$base" \
    | grep -E "Requests/sec|^ +(50|99)%|requests in|Non-2xx|checkouts"
done
echo "orders in the database: $(psql -h 127.0.0.1 -U postgres -d "$db" -tAc 'select count(*) from orders')"
top=$(curl -s "$base/api/leaderboard/best-sellers?limit=1")
echo "best seller in Redis: $top"
top_id=$(echo "$top" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["productId"])')
echo "its units in the database: $(psql -h 127.0.0.1 -U postgres -d "$db" -tAc "select sum(quantity) from order_line where productid = $top_id")"
