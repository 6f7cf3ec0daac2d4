#!/usr/bin/env bash
# Issue 10's ratios in one run on one machine: Larder's hot cached GET against Larder's JAX-RS ping
# and a plain-servlet ceiling, and what Larder's own filters (rate limiter, sessions) cost on a hot
# GET and on a no-op request. Three Payara Micro instances, each on H2 with PRODUCTS seeded products
# and a redis-server of its own, booted one after the other and kept running, so that every
# measurement of a round runs within minutes of the others (one JVM boot to the next varies by up to
# 2x on a shared 2-core machine; runs interleaved in rounds do not):
#   bare      rate limiter off, session filter off
#   sessions  rate limiter off, session filter on
#   full      rate limiter on with a limit no run reaches (every request pays a full decision),
#             session filter on: the defaults
# Every instance also serves the plain-servlet ceiling: larder.bench.ceiling-servlet=true registers
# GET /bench/ceiling (a fixed 360-byte product JSON written by a servlet; off by default, 404 then).
# Warm-up: ids 1..HOT loaded into the cache, then WARMUP s of wrk on every path of every instance
# (the JIT). Then ROUNDS rounds, each path once per round (odd rounds in this order, even rounds in
# reverse), wrk -t2 -c32 for SECONDS each:
#   ceiling@bare ping@bare ping@sessions ping@full hot@bare hot@sessions hot@full hot-keys@full
# hot = GET /api/products/{1..HOT} (near-cache hits); hot-keys = the same with X-API-Key cycling over
# KEYS known keys, so that the limiter sees KEYS clients instead of one address. Each ratio is taken
# within a round (both runs minutes apart at most) and the median over the rounds is reported, with
# the spread. With PROFILE=1 (the default) one more round, not counted, records each run with JFR
# (jcmd JFR.start, the JDK's "profile" settings sampling every 2 ms) and bench/jfr_top.py prints
# where its CPU went. At the end: the medians, the issue's ratios (bench/hits_report.py), and
# boot-to-ready time and resident memory per instance.
# Bounded: every wrk run has a duration, everything started here is stopped on exit. Loopback only.
#   bench/hits.sh [seconds per run, default 10]     e.g. bench/hits.sh 10 | tee bench/results-<date>-hits.txt
#   env: ROUNDS (3) WARMUP (10) PRODUCTS (1000) HOT (1000) KEYS (32) PROFILE (1)
#        RUNS="bare ping,full ping"   only these runs (instance and path, comma-separated)
# The WAR is rebuilt (mvn -B -q package -DskipTests) when a source is newer than target/larder.war.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-10}
PRODUCTS=${PRODUCTS:-1000}
HOT=${HOT:-1000}
KEYS=${KEYS:-32}
PROFILE=${PROFILE:-1}
. bench/lib.sh
rebuild_if_stale

declare -A port pid redis booted
instances=(bare sessions full)
cleanup() {
  for i in "${instances[@]}"; do
    if [ -n "${pid[$i]:-}" ]; then kill "${pid[$i]}" 2>/dev/null || true; wait "${pid[$i]}" 2>/dev/null || true; fi
    [ -n "${redis[$i]:-}" ] && stop_redis "${redis[$i]}"
  done
}
trap cleanup EXIT
printf '%s\n' 'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' \
  > "$work/preboot.txt"
api_keys=$(for k in $(seq 1 "$KEYS"); do printf 'bench-key-%d' "$k" | sha256sum | cut -d' ' -f1; done | paste -sd, -)

start() { # instance, limiter on/off, sessions on/off
  local name=$1 started
  redis[$name]=$(free_port)
  port[$name]=$(free_port)
  start_redis "${redis[$name]}"
  started=$(date +%s%N)
  LARDER_REDIS_ADDRESS="redis://127.0.0.1:${redis[$name]}" LARDER_SHOP_SEED_PRODUCTS=$PRODUCTS \
    LARDER_RATELIMIT_ENABLED=$2 LARDER_RATELIMIT_DEFAULT_LIMIT=1000000000 LARDER_RATELIMIT_API_KEYS="$api_keys" \
    LARDER_SESSIONS_ENABLED=$3 LARDER_BENCH_CEILING_SERVLET=true \
    payara "${port[$name]}" "$work/$name.log" --prebootcommandfile "$work/preboot.txt"
  pid[$name]=$!
  for _ in $(seq 1 480); do
    curl -sf "http://127.0.0.1:${port[$name]}/api/products/$PRODUCTS" >/dev/null 2>&1 && break
    sleep 0.25
  done
  curl -sf "http://127.0.0.1:${port[$name]}/api/products/$PRODUCTS" >/dev/null || { tail -40 "$work/$name.log"; exit 1; }
  booted[$name]=$(( ($(date +%s%N) - started) / 1000000 ))
}
url() { echo "http://127.0.0.1:${port[$1]}"; }
load() { # instance, path kind, seconds, extra wrk args...
  local base; base=$(url "$1")
  case $2 in
    ceiling) wrk -t2 -c32 -d"$3s" "${@:4}" "$base/bench/ceiling" ;;
    ping) wrk -t2 -c32 -d"$3s" "${@:4}" "$base/api/ping" ;;
    hot) wrk -t2 -c32 -d"$3s" "${@:4}" -s bench/hot.lua "$base" -- "$HOT" ;;
    hot-keys) wrk -t2 -c32 -d"$3s" "${@:4}" -s bench/hot.lua "$base" -- "$HOT" "$KEYS" ;;
  esac
}
ms() { # a wrk latency (123.4us, 1.2ms, 1.05s) in ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.3f", n }'
}

echo "# Larder issue-10 benchmark: hot GET vs ping vs servlet ceiling, filters on/off"
echo "# $(machine), $(java -version 2>&1 | head -1), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (with uncommitted changes)'), H2, $PRODUCTS products, hot set $HOT ids, wrk -t2 -c32, ${SECONDS_PER_RUN} s per run, $ROUNDS rounds, warm-up ${WARMUP} s per path"
start bare false false
start sessions false true
start full true true
for i in "${instances[@]}"; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$(url "$i")/bench/ceiling")" = 200 ] || { echo "no ceiling servlet on $i" >&2; exit 1; }
  wrk -t1 -c1 -d3s -s bench/warm.lua "$(url "$i")" >/dev/null
done
runs=("bare ceiling" "bare ping" "sessions ping" "full ping" "bare hot" "sessions hot" "full hot" "full hot-keys")
if [ -n "${RUNS:-}" ]; then IFS=, read -r -a runs <<< "$RUNS"; fi   # e.g. RUNS="bare ping,sessions ping"
echo "## warm-up: ${WARMUP} s per run, not measured"
for run in "${runs[@]}"; do
  # shellcheck disable=SC2086
  load $run "$WARMUP" >/dev/null
done
curl -s -D - -o /dev/null "$(url full)/api/products/1" | grep -i '^ratelimit' | sed 's/^/limiter answer on full: /'

results="$work/results.tsv"
: > "$results"
cpu_times() { awk '/^cpu /{print $2+$3+$4+$6+$7+$8, $5}' /proc/stat; } # busy and idle jiffies, all cores
measure() { # round, instance, kind, seconds
  local out rps p50 p99 bad before after busy
  before=$(cpu_times)
  out=$(load "$2" "$3" "$4" --latency)
  after=$(cpu_times)
  busy=$(echo "$before $after" | awk '{b = $3 - $1; i = $4 - $2; printf "%.0f", ((b + i) > 0 ? 100 * b / (b + i) : 0)}')
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p50=$(ms "$(echo "$out" | awk '$1=="50%"{print $2}')")
  p99=$(ms "$(echo "$out" | awk '$1=="99%"{print $2}')")
  bad=$(echo "$out" | awk '/Non-2xx/{print $5}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$3@$2" "$rps" "$p50" "$p99" "${bad:-0}" >> "$results"
  printf 'round %s  %-18s %10s req/s  p50 %8s ms  p99 %8s ms  non-2xx %s  machine CPU busy %s %%\n' "$1" "$3@$2" "$rps" "$p50" "$p99" "${bad:-0}" "$busy"
}
# Odd rounds run the paths in order, even rounds in reverse, so that a drift of the machine's load
# within a round does not always favour the same side of a ratio.
for round in $(seq 1 "$ROUNDS"); do
  order=("${runs[@]}")
  if [ $((round % 2)) = 0 ]; then
    order=(); for ((k = ${#runs[@]} - 1; k >= 0; k--)); do order+=("${runs[$k]}"); done
  fi
  for run in "${order[@]}"; do
    # shellcheck disable=SC2086
    measure "$round" $run "$SECONDS_PER_RUN"
  done
done

# The profiles come from a round of their own, not counted in the figures: starting a recording
# costs the JVM a few seconds of CPU, and sampling costs a few per cent.
if [ "$PROFILE" = 1 ]; then
  # the JDK's "profile" settings, sampling Java code every 2 ms instead of 10 (more samples per run)
  sed -e '/jdk.ExecutionSample/,/<\/event>/s/<setting name="period"\([^>]*\)>[^<]*</<setting name="period"\1>2 ms</' \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" > "$work/bench.jfc"
  for run in "${runs[@]}"; do
    read -r instance kind <<< "$run"
    jfr_file="$work/profile-$instance-$kind.jfr"
    jcmd "${pid[$instance]}" JFR.start name=bench settings="$work/bench.jfc" filename="$jfr_file" >/dev/null
    load "$instance" "$kind" "$SECONDS_PER_RUN" > "$work/profile-$instance-$kind.wrk"
    jcmd "${pid[$instance]}" JFR.stop name=bench >/dev/null
    echo "## JFR CPU profile, $kind@$instance, $(awk '/Requests\/sec/{print $2}' "$work/profile-$instance-$kind.wrk") req/s while recording ($jfr_file)"
    python3 bench/jfr_top.py "$jfr_file" 12
  done
fi

echo "## rate limiter on full: script calls, admissions from leases, refusals from memory, requests undecided"
curl -s "$(url full)/metrics" | grep -E '^larder_ratelimit_(calls|leased|remembered|unavailable)_total' || true
echo "## boot to ready (first product answered) and resident memory after the benchmark"
for i in "${instances[@]}"; do
  printf '%-9s boot %6s ms   RSS %5s MiB\n' "$i" "${booted[$i]}" "$(( $(ps -o rss= -p "${pid[$i]}") / 1024 ))"
done
echo "## medians over $ROUNDS rounds, and the issue's ratios"
python3 bench/hits_report.py "$results"
