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
one_instance_on_postgres 10000
psql -h 127.0.0.1 -U postgres -d "$db" -qc "update product set stock = 100000000"
redis-cli -p "$redis_port" --scan --pattern "larder:cache:products:*" | xargs -r redis-cli -p "$redis_port" del >/dev/null # nothing read so far is kept with the old stock
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
