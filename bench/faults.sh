#!/usr/bin/env bash
# Larder under Redis faults: 3 phases of load (before / fault / after, 10 s each by default) while
# Redis is (a) paused with SIGSTOP and resumed with SIGCONT, (b) killed with SIGKILL and restarted
# empty on the same port. Each scenario gets a fresh Payara Micro instance on its own redis-server
# (a free port, never 6379) and a PostgreSQL database of its own (larder_bench_<port> on
# 127.0.0.1:5432, 10,000 seeded products, dropped on exit), rate limiting off, ids 1..1000 warmed.
# Per scenario two runs: mixed (hot GETs of ids 1..1000, one request in 10 a category page) and
# hot GETs only. The cold path (every request a miss, bench/cold.lua) is measured on the same
# instance: it is the throughput floor the fault phase should reach.
# Load: wrk, 32 threads with one connection each, bench/faults.lua times every request and files it
# under the phase in which it was sent; a background shell injects the fault at the phase
# boundaries (by the wall clock both share). Bounded: fixed-length wrk runs and bounded waits;
# everything started here is stopped on exit (a paused Redis is resumed first).
#   bench/faults.sh [seconds per phase, default 10]
#   LARDER_REDIS_TIMEOUT=PT0.5S bench/faults.sh   another Redis timeout (the app and the targets follow it)
#   SCENARIOS=pause bench/faults.sh               one scenario only (pause, kill; default both)
set -euo pipefail
cd "$(dirname "$0")/.."
PHASE_SECONDS=${1:-10}
SCENARIOS=${SCENARIOS:-pause kill}
CONNECTIONS=32
TAIL_SECONDS=10   # wrk keeps running this long after the last phase, so late answers are still timed
. bench/lib.sh
redis_port=$(free_port)
app_port=$(free_port)
db="larder_bench_$app_port"
base="http://127.0.0.1:$app_port"
timeout_ms=$(python3 -c '
import re, sys
m = re.fullmatch(r"PT(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?", sys.argv[1])
print(round((int(m.group(1) or 0) * 60 + float(m.group(2) or 0)) * 1000))' "${LARDER_REDIS_TIMEOUT:-PT1S}")
app_pid=""
driver_pid=""
load_pid=""

now_ms() { date +%s%3N; }
sleep_until() { # epoch ms
  local left=$(($1 - $(now_ms)))
  if [ "$left" -gt 0 ]; then sleep "$((left / 1000)).$(printf '%03d' $((left % 1000)))"; fi
}
redis_up() { # starts the private redis-server and writes its pid to $work/redis.pid
  start_redis "$redis_port"
  for _ in $(seq 1 50); do
    [ "$(timeout 2 redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && break
    sleep 0.1
  done
  timeout 2 redis-cli -p "$redis_port" info server | awk -F: '/^process_id:/{print $2}' | tr -d '\r' > "$work/redis.pid"
}
redis_pid() { cat "$work/redis.pid" 2>/dev/null || true; }
load() { # wrk ARGS...: in the background, so that a signal interrupts the wait and the cleanup runs at once
  wrk "$@" &
  load_pid=$!
  wait "$load_pid"
  load_pid=""
}
stop_app() { # SIGTERM, then SIGKILL if it has not exited within 30 s
  [ -n "$app_pid" ] || return 0
  kill "$app_pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    ps -o stat= -p "$app_pid" | grep -q '^[^Z]' || break   # gone or a zombie
    sleep 0.5
  done
  kill -KILL "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
}
cleanup() { # load, fault driver, then Redis resumed before the app is stopped, so nothing waits on a paused Redis
  if [ -n "$load_pid" ]; then kill "$load_pid" 2>/dev/null || true; wait "$load_pid" 2>/dev/null || true; fi
  if [ -n "$driver_pid" ]; then
    pkill -P "$driver_pid" 2>/dev/null || true   # its sleep
    kill "$driver_pid" 2>/dev/null || true; wait "$driver_pid" 2>/dev/null || true
  fi
  local pid; pid=$(redis_pid)
  if [ -n "$pid" ]; then kill -CONT "$pid" 2>/dev/null || true; fi
  stop_app
  timeout 10 redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || { [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; } || true
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  rm -rf "$work"/root-*   # Payara's unpacked runtime; server logs and per-request records stay in $work
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Loopback only: the HTTP listener binds 127.0.0.1 (Payara's default is every interface), and
# Payara's Hazelcast data grid, which still listens on *:6900 despite --nohazelcast, is switched off.
printf '%s\n' \
  'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' \
  'set configs.config.server-config.hazelcast-config-specific-configuration.enabled=false' > "$work/preboot.txt"
boot() { # a fresh instance (fresh runtime directory) on an empty Redis; the first boot seeds the database
  timeout 5 redis-cli -p "$redis_port" flushall >/dev/null
  rm -rf "$work/root-$app_port"
  payara "$app_port" "$work/server-$1.log" --prebootcommandfile "$work/preboot.txt"
  app_pid=$!
  for _ in $(seq 1 240); do
    curl -sf --max-time 2 "$base/api/products/10000" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -sf --max-time 5 "$base/api/products/10000" >/dev/null || { tail -40 "$work/server-$1.log"; exit 1; }
  curl -sf --max-time 5 -X DELETE -H "Authorization: Bearer $TOKEN" "$base/api/caches/products" >/dev/null
  echo "  instance up; its TCP listeners: $(ss -ltnH -p | grep "pid=$app_pid," | awk '{print $4}' | tr '\n' ' ')"
}
await_ready() { # seconds until /health/ready answers 200, at most 60
  local start; start=$(now_ms)
  for _ in $(seq 1 120); do
    curl -sf --max-time 1 "$base/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -sf --max-time 5 "$base/health/ready" >/dev/null 2>&1 || echo "  (not ready after 60 s)"
  echo "  ready $(( ($(now_ms) - start) / 1000 )) s after the run; ids 1..1000 warmed again"
  load -t1 -c1 -d3s -s bench/warm.lua "$base" >/dev/null
}
cache_stats() {
  curl -s --max-time 10 "$base/api/caches" | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    if c["name"] in ("products", "product-pages"):
        print("  cache {name}: hits {hits} (near {nearHits}, Redis {remoteHits}), misses {misses}, loads {loads}, loadFailures {loadFailures}".format(**c))' || echo "  (no cache statistics)"
}
cold_path() { # sets cold to the cold path's req/s
  load -t2 -c"$CONNECTIONS" -d5s --latency -s bench/cold.lua "$base" -- 2 > "$work/cold.txt"
  grep -E "Requests/sec|^ +(50|99)%|requests in|Non-2xx" "$work/cold.txt"
  cold=$(awk '/Requests\/sec/{print $2}' "$work/cold.txt")
}
inject() { # pause|kill, t0 ms; runs in the background during a wrk run
  local fault=$1 t0=$2 pid; pid=$(redis_pid)
  sleep_until $((t0 + PHASE_SECONDS * 1000))
  if [ "$fault" = pause ]; then kill -STOP "$pid"; else kill -KILL "$pid"; : > "$work/redis.pid"; fi
  echo "  fault: $([ "$fault" = pause ] && echo SIGSTOP || echo SIGKILL) at +$(($(now_ms) - t0)) ms"
  sleep_until $((t0 + 2 * PHASE_SECONDS * 1000))
  local at; at=$(now_ms)
  if [ "$fault" = pause ]; then kill -CONT "$pid"; else redis_up; fi
  echo "  cleared: $([ "$fault" = pause ] && echo SIGCONT || echo 'restarted empty') at +$((at - t0)) ms, answering at +$(($(now_ms) - t0)) ms"
}
fault_run() { # name, pause|kill, page every N requests (0 = hot only), cold req/s
  local name=$1 fault=$2 page_every=$3 cold=$4
  local t0 log_lines; t0=$(($(now_ms) + 2000))
  log_lines=$(wc -l < "$work/server-$fault.log")
  echo "## $name"
  inject "$fault" "$t0" > "$work/$name.inject" &
  driver_pid=$!
  load -t"$CONNECTIONS" -c"$CONNECTIONS" -d"$((2 + 3 * PHASE_SECONDS + TAIL_SECONDS))s" --timeout 60s -s bench/faults.lua "$base" \
    -- "$t0" "$((PHASE_SECONDS * 1000))" 3 "$page_every" "$work/$name.records" > "$work/$name.wrk"
  wait "$driver_pid"
  driver_pid=""
  cat "$work/$name.inject"
  grep -E "requests in|Socket errors|Non-2xx" "$work/$name.wrk" | sed 's/^ */  wrk (whole run, warm-in and tail included): /'
  python3 bench/faults_report.py "$work/$name.records" "$PHASE_SECONDS" "$timeout_ms" "$cold"
  cache_stats
  echo "  load average after the run: $(cut -d' ' -f1-3 /proc/loadavg) (others' work on the same cores counts too)"
  echo "  server log: $(tail -n +"$((log_lines + 1))" "$work/server-$fault.log" | grep -cE 'WARNING|SEVERE') new WARNING/SEVERE lines"
}

redis_up
psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $db"
export LARDER_RATELIMIT_ENABLED=false LARDER_REDIS_ADDRESS="redis://127.0.0.1:$redis_port" LARDER_SHOP_SEED_PRODUCTS=10000 \
  LARDER_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" LARDER_DB_USER=postgres LARDER_DB_PASSWORD=postgres

echo "# Larder under Redis faults, $(machine), $(java -version 2>&1 | head -1), PostgreSQL, one instance"
echo "# phases of $PHASE_SECONDS s: before / fault / after; Redis timeout ${LARDER_REDIS_TIMEOUT:-PT1S} (${timeout_ms} ms);"
echo "# wrk $CONNECTIONS threads x 1 connection; a request belongs to the phase in which it was sent; commit $(git rev-parse --short HEAD)"
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for scenario in $SCENARIOS; do
  case $scenario in
    pause) title="(a) Redis paused: SIGSTOP at +${PHASE_SECONDS} s, SIGCONT at +$((2 * PHASE_SECONDS)) s" ;;
    kill) title="(b) Redis killed: SIGKILL at +${PHASE_SECONDS} s, restarted empty on the same port at +$((2 * PHASE_SECONDS)) s" ;;
    *) echo "unknown scenario $scenario (pause, kill)" >&2; exit 2 ;;
  esac
  echo
  echo "# $title"
  boot "$scenario"
  load -t1 -c1 -d3s -s bench/warm.lua "$base" >/dev/null
  # JIT warm-up on the same mix (records nothing: zero phases), and the page caches filled
  load -t"$CONNECTIONS" -c"$CONNECTIONS" -d15s -s bench/faults.lua "$base" -- 0 1 0 10 /dev/null >/dev/null
  echo "## cold path on this instance: GET /api/products/<never asked before>, 5 s"
  cold_path
  load -t1 -c1 -d3s -s bench/warm.lua "$base" >/dev/null
  fault_run "$scenario-mixed" "$scenario" 10 "$cold"
  await_ready
  fault_run "$scenario-hot" "$scenario" 0 "$cold"
  stop_app
done
