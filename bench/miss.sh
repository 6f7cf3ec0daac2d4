#!/usr/bin/env bash
# Issue 10's miss target, measured in one run: cold GET /api/products/{id} on PostgreSQL, the WAR of
# the commit before issue 10's work (the baseline, built here from git) against this worktree's WAR.
#
# Both instances run at once, each on a PostgreSQL database and a redis-server of its own (free ports,
# loopback only, limiter off), seeded with the same products; wrk (2 threads x 32 connections) runs
# against one at a time, alternating (odd rounds baseline first, even rounds current first). Before
# each run the instance's products cache is emptied (DELETE /api/caches/products), and bench/cold.lua
# asks each id once, upward from 1001: every request is a miss and one database load. After the rounds,
# one more run per instance, not counted, records where the CPU went (per process, and per request on
# the instance's HTTP and Redis client threads), and so do a run of the no-op GET /api/ping on each and
# of the plain-servlet ceiling on the current one: the floor under any JAX-RS request on this server. Bounded: every wrk run has a fixed duration, and
# everything started here (servers, databases, the baseline's git worktree) is removed on exit.
#   bench/miss.sh [rounds, default 3] [seconds per run, default 8]
#   BASE=<commit>   the baseline (default 31d0a40^, the commit before issue 10's work)
#   SEED=<n>        products per database (default 40000: more than a fast run asks for)
#   WARMUP=<n>      cold runs per instance before the counted ones (default 6)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-8}
BASE=${BASE:-31d0a40^}
SEED=${SEED:-40000}
WARMUP=${WARMUP:-6}
mvn -B -q package -DskipTests
. bench/lib.sh
current_commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml server-config || echo "+uncommitted")
base_commit=$(git rev-parse --short "$BASE")
base_src=$(mktemp -d /tmp/larder-miss-base.XXXX)
declare -A port redis db pid
cleanup() {
  for name in "${!pid[@]}"; do kill "${pid[$name]}" 2>/dev/null || true; done
  for name in "${!pid[@]}"; do while kill -0 "${pid[$name]}" 2>/dev/null; do sleep 0.2; done; done
  for name in "${!redis[@]}"; do stop_redis "${redis[$name]}"; done
  for name in "${!db[@]}"; do
    psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS ${db[$name]} WITH (FORCE)" || true
  done
  git worktree remove --force "$base_src" 2>/dev/null || rm -rf "$base_src"
}
trap cleanup EXIT

# the baseline WAR and its server-config, from git
git worktree add --detach "$base_src" "$BASE" >/dev/null 2>&1
(cd "$base_src" && mvn -B -q package -DskipTests)
mkdir -p "$work/baseline" "$work/current"
cp "$base_src/target/larder.war" "$work/baseline/larder.war"
cp -r "$base_src/server-config" "$work/baseline/server-config"
cp target/larder.war "$work/current/larder.war"
cp -r server-config "$work/current/server-config"
printf '%s\n' 'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' \
  'set configs.config.server-config.hazelcast-config-specific-configuration.enabled=false' > "$work/preboot.txt"

boot() { # name
  local name=$1
  port[$name]=$(free_port)
  redis[$name]=$(free_port)
  db[$name]="larder_bench_miss_${name}_${port[$name]}"
  psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE ${db[$name]}"
  start_redis "${redis[$name]}"
  (
    export LARDER_RATELIMIT_ENABLED=false LARDER_BENCH_CEILING_SERVLET=true LARDER_REDIS_ADDRESS="redis://127.0.0.1:${redis[$name]}" \
      LARDER_SHOP_SEED_PRODUCTS=$SEED LARDER_DB_URL="jdbc:postgresql://127.0.0.1:5432/${db[$name]}" \
      LARDER_DB_USER=postgres LARDER_DB_PASSWORD=postgres \
      WAR="$work/$name/larder.war" CONFIG_DIR="$work/$name/server-config"
    payara "${port[$name]}" "$work/$name/server.log" --prebootcommandfile "$work/preboot.txt"
    echo $! > "$work/$name/pid"
  )
  pid[$name]=$(cat "$work/$name/pid")
  local url="http://127.0.0.1:${port[$name]}"
  for _ in $(seq 1 360); do
    curl -sf "$url/api/products/$SEED" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -sf "$url/api/products/$SEED" >/dev/null || { tail -40 "$work/$name/server.log"; exit 1; }
}
url() { echo "http://127.0.0.1:${port[$1]}"; }
empty_cache() { curl -sf -X DELETE -H "Authorization: Bearer $TOKEN" "$(url "$1")/api/caches/products" >/dev/null; }
misses() {
  curl -s "$(url "$1")/api/caches" | python3 -c 'import json,sys; print(next(c["misses"] for c in json.load(sys.stdin) if c["name"]=="products"))'
}
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }
# one cold run: "req/s p50_ms p99_ms requests non2xx misses machine_busy_%"
cold_run() { # name seconds
  local name=$1 before after b0 b1
  empty_cache "$name"
  before=$(misses "$name")
  b0=$(busy)
  wrk -t2 -c32 -d"$2s" --latency -s bench/cold.lua "$(url "$name")" -- 2 > "$work/$name/wrk.txt"
  b1=$(busy)
  after=$(misses "$name")
  python3 - "$work/$name/wrk.txt" "$((after - before))" "$b0" "$b1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    value, unit = re.search(r"^\s+%s\s+([\d.]+)(us|ms|s)\s*$" % label, text, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
count = int(re.search(r"(\d+) requests in", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
b0, t0, b1, t1 = (int(x) for x in sys.argv[3].split() + sys.argv[4].split())
print(f"{rate:.0f} {ms('50%'):.1f} {ms('99%'):.1f} {count} {non2xx.group(1) if non2xx else 0} {sys.argv[2]} "
      f"{100 * (b1 - b0) / max(1, t1 - t0):.0f}")
PY
}

boot baseline
boot current
echo "# Cold misses on PostgreSQL, baseline $base_commit vs current $current_commit: $(machine), $(java -version 2>&1 | head -1)"
echo "# $SEED products per database, wrk 2 threads x 32 connections, $SECONDS_PER_RUN s per run, $ROUNDS rounds"
# Payara's JIT needs a minute or more of load before a miss stops getting cheaper (C2 still took 13 %
# of the CPU after 50 s), so each instance is warmed by WARMUP cold runs, each on an emptied cache.
echo "## warm-up (not counted): $WARMUP cold runs of $SECONDS_PER_RUN s, 5 s of one hot id and 5 s of GET /api/ping per instance"
for name in baseline current; do
  for _ in $(seq 1 "$WARMUP"); do cold_run "$name" "$SECONDS_PER_RUN" >/dev/null; done
  wrk -t2 -c32 -d5s "$(url "$name")/api/products/42" >/dev/null
  wrk -t2 -c32 -d5s "$(url "$name")/api/ping" >/dev/null
done

declare -a ratios
printf '%-6s %-9s %8s %8s %8s %9s %7s %7s %6s\n' round instance "req/s" "p50 ms" "p99 ms" requests non2xx misses "busy%"
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then order="baseline current"; else order="current baseline"; fi
  declare -A rate=()
  for name in $order; do
    read -r rps p50 p99 count non2xx missed cpu <<< "$(cold_run "$name" "$SECONDS_PER_RUN")"
    rate[$name]=$rps
    printf '%-6s %-9s %8s %8s %8s %9s %7s %7s %6s\n' "$round" "$name" "$rps" "$p50" "$p99" "$count" "$non2xx" "$missed" "$cpu"
    [ "$count" -lt $((SEED - 1000)) ] || echo "   (this run asked for ids past the last product: raise SEED)"
  done
  ratio=$(python3 -c "print(f'{${rate[current]}/${rate[baseline]}:.2f}')")
  ratios+=("$ratio")
  echo "round $round: current / baseline = $ratio"
done
echo "ratios: ${ratios[*]}; median $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}')"

# Where the CPU went: one more cold run per instance, not counted, with per-process CPU from /proc
# (clock ticks) and the instance's threads grouped by name.
ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $t; }
thread_ticks() { # pid prefix
  local t=0 task
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in "$2"*) t=$((t + $(awk '{print $14+$15}' "$task/stat" 2>/dev/null || echo 0)));; esac
  done
  echo $t
}
echo "## CPU per request (one more run of each, not counted; microseconds of CPU per request)"
# A miss cannot cost less than the server's own work for any JAX-RS request: the no-op GET /api/ping
# (sessions and the response tier on, limiter off) and the plain-servlet ceiling (current WAR only) are
# measured the same way, so the miss target can be set against what a request costs at all here.
hz=$(getconf CLK_TCK)
cpu_run() { # name label wrk-args...
  local name=$1 label=$2; shift 2
  local redis_pid pg j0 h0 n0 r0 p0 j1 h1 n1 r1 p1 rps count
  redis_pid=$(redis-cli -p "${redis[$name]}" info server | awk -F: '/process_id/{print $2}' | tr -d '\r')
  pg=$(pgrep -d' ' postgres)
  j0=$(ticks "${pid[$name]}"); h0=$(thread_ticks "${pid[$name]}" http-thread); n0=$(thread_ticks "${pid[$name]}" redisson-netty)
  r0=$(ticks "$redis_pid"); p0=$(ticks $pg)
  redis-cli -p "${redis[$name]}" config resetstat >/dev/null
  if [ "$1" = cold ]; then
    read -r rps _ _ count _ _ _ <<< "$(cold_run "$name" "$SECONDS_PER_RUN")"
  else
    wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" "$(url "$name")$1" > "$work/$name/wrk.txt"
    rps=$(awk '/Requests\/sec/{printf "%.0f", $2}' "$work/$name/wrk.txt"); count=$(awk '/requests in/{print $1}' "$work/$name/wrk.txt")
  fi
  j1=$(ticks "${pid[$name]}"); h1=$(thread_ticks "${pid[$name]}" http-thread); n1=$(thread_ticks "${pid[$name]}" redisson-netty)
  r1=$(ticks "$redis_pid"); p1=$(ticks $pg)
  per() { python3 -c "print(round(($1) * 1e6 / $hz / $count))"; }
  printf '%-9s %-8s %6s req/s; JVM %5s (HTTP threads %5s, Redis client threads %4s), redis-server %4s, PostgreSQL %4s\n' \
    "$name" "$label" "$rps" "$(per $((j1 - j0)))" "$(per $((h1 - h0)))" "$(per $((n1 - n0)))" "$(per $((r1 - r0)))" "$(per $((p1 - p0)))"
  if [ "$1" = cold ]; then
    redis-cli -p "${redis[$name]}" info commandstats | awk -F'[:,=]' -v n="$count" \
      '/^cmdstat_/{printf "   %s: %.2f calls per request, %s us per call\n", substr($1, 9), $3 / n, $7}' | sort -t: -k2 -rn | head -8
  fi
}
for name in baseline current; do
  cpu_run "$name" miss cold
  cpu_run "$name" ping /api/ping
done
cpu_run current servlet /bench/ceiling
# Resident memory after all of the above (issue 10: <= 512 MiB per instance), with each instance's JVM flags.
for name in baseline current; do
  echo "$name: RSS $(( $(ps -o rss= -p "${pid[$name]}") / 1024 )) MiB after the benchmark ($(grep -v '^#' "$work/$name/server-config/jvm.options" | tr '\n' ' '))"
done
