#!/usr/bin/env bash
# Product views through write-behind vs a direct UPDATE per view, on one PostgreSQL database of its
# own (dropped on exit): (1) wrk POSTs views to one Payara Micro instance (202 once each view is an
# entry of the Redis Stream); (2) pgbench runs the UPDATE that a direct implementation would run
# per view, with as many clients, straight against the database (no HTTP at all: a ceiling for the
# direct path); (3) how long the flushers take to bring the database to the count of accepted views.
# Bounded, loopback only.   bench/views.sh [seconds per run, default 15] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-15}
CONNECTIONS=${2:-32}
. bench/lib.sh
one_instance_on_postgres 1000
echo "# Larder views benchmark, $(machine), $(java -version 2>&1 | head -1), PostgreSQL, $CONNECTIONS connections"
wrk -t1 -c1 -d3s -s bench/warm.lua "$base" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d5s -s bench/views.lua "$base" >/dev/null # JIT warm-up
views() { psql -h 127.0.0.1 -U postgres -d "$db" -tAc "select coalesce(sum(viewcount), 0) from product"; }
settle() { # waits (at most 120 s) until the views stream is empty: every accepted view is in the database
  for _ in $(seq 1 240); do
    [ "$(redis-cli -p "$redis_port" xlen 'larder:{views}')" = "0" ] && break
    sleep 0.5
  done
}
settle
before=$(views)
run_views() { # label, VIEWS_HOT
  local before out sent non2xx start took
  settle
  before=$(views)
  echo "## write-behind, $1: POST /api/products/{id}/views over HTTP, ${SECONDS_PER_RUN} s"
  out=$(VIEWS_HOT=$2 wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s bench/views.lua "$base")
  echo "$out" | grep -E "Requests/sec|^ +(50|99)%|requests in|Non-2xx"
  sent=$(echo "$out" | awk '/requests in/{print $1}')
  non2xx=$(echo "$out" | awk '/Non-2xx/{print $5}')
  start=$(date +%s%N)
  settle
  took=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "accepted: $(( sent - ${non2xx:-0} )); in the database once the stream was empty: $(( $(views) - before )) ($took ms after the load)"
}
direct() { # label, SQL for the product id
  echo "## direct, $1: pgbench, UPDATE product SET viewcount = viewcount + 1 per view, ${SECONDS_PER_RUN} s, $CONNECTIONS clients"
  printf '%s\nupdate product set viewcount = viewcount + 1 where id = :id;\n' "$2" > "$work/direct.sql"
  pgbench -h 127.0.0.1 -U postgres -n -c "$CONNECTIONS" -j 2 -T "$SECONDS_PER_RUN" -f "$work/direct.sql" "$db" 2>/dev/null \
    | grep -E "^tps|latency average|number of transactions actually processed"
}
run_views "spread over 1,000 products" 0
run_views "one hot product" 1
direct "spread over 1,000 products" '\set id random(1, 1000)'
direct "one hot product" '\set id 1'
