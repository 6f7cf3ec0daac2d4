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
# (the JIT). Then ROUNDS rounds, each path once per round, wrk -t2 -c32 for SECONDS each:
#   ceiling@bare ping@bare ping@sessions ping@full hot@bare hot@sessions hot@full hot-keys@full
# hot = GET /api/products/{1..HOT} (near-cache hits); hot-keys = the same with X-API-Key cycling over
# KEYS known keys, so that the limiter sees KEYS clients instead of one address. With PROFILE=1 (the
# default) every run of the last round is recorded with JFR (jcmd JFR.start settings=profile, on
# whichever instance it loads) and bench/jfr_top.py prints its CPU profile. At the end: the median of
# each path over the rounds, the issue's ratios, boot-to-ready time and resident memory per instance.
# Bounded: every wrk run has a duration, everything started here is stopped on exit. Loopback only.
#   bench/hits.sh [seconds per run, default 10]     e.g. bench/hits.sh 10 | tee bench/results-<date>-hits.txt
#   env: ROUNDS (3) WARMUP (10) PRODUCTS (1000) HOT (1000) KEYS (32) PROFILE (1)
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
if [ -f target/larder.war ] && [ -n "$(find src pom.xml -newer target/larder.war -type f | head -n 1)" ]; then
  mvn -B -q package -DskipTests
fi
. bench/lib.sh

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
echo "## warm-up: ${WARMUP} s per run, not measured"
for run in "${runs[@]}"; do
  # shellcheck disable=SC2086
  load $run "$WARMUP" >/dev/null
done
curl -s -D - -o /dev/null "$(url full)/api/products/1" | grep -i '^ratelimit' | sed 's/^/limiter answer on full: /'

results="$work/results.tsv"
: > "$results"
for round in $(seq 1 "$ROUNDS"); do
  for run in "${runs[@]}"; do
    read -r instance kind <<< "$run"
    jfr_file="$work/r$round-$instance-$kind.jfr"
    if [ "$PROFILE" = 1 ] && [ "$round" = "$ROUNDS" ]; then
      jcmd "${pid[$instance]}" JFR.start name=bench settings=profile filename="$jfr_file" >/dev/null
    fi
    out=$(load "$instance" "$kind" "$SECONDS_PER_RUN" --latency)
    if [ "$PROFILE" = 1 ] && [ "$round" = "$ROUNDS" ]; then
      jcmd "${pid[$instance]}" JFR.stop name=bench >/dev/null
    fi
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
    p50=$(ms "$(echo "$out" | awk '$1=="50%"{print $2}')")
    p99=$(ms "$(echo "$out" | awk '$1=="99%"{print $2}')")
    bad=$(echo "$out" | awk '/Non-2xx/{print $5}')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$kind@$instance" "$rps" "$p50" "$p99" "${bad:-0}" >> "$results"
    printf 'round %s  %-18s %10s req/s  p50 %8s ms  p99 %8s ms  non-2xx %s\n' "$round" "$kind@$instance" "$rps" "$p50" "$p99" "${bad:-0}"
  done
done

if [ "$PROFILE" = 1 ]; then
  for run in "${runs[@]}"; do
    read -r instance kind <<< "$run"
    echo "## JFR CPU profile, round $ROUNDS, $kind@$instance ($work/r$ROUNDS-$instance-$kind.jfr)"
    python3 bench/jfr_top.py "$work/r$ROUNDS-$instance-$kind.jfr" 12
  done
fi

echo "## boot to ready (first product answered) and resident memory after the benchmark"
for i in "${instances[@]}"; do
  printf '%-9s boot %6s ms   RSS %5s MiB\n' "$i" "${booted[$i]}" "$(( $(ps -o rss= -p "${pid[$i]}") / 1024 ))"
done
echo "## medians over $ROUNDS rounds, and the issue's ratios"
python3 - "$results" <<'EOF'
import collections, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    _, run, rps, p50, p99, bad = line.rstrip("\n").split("\t")
    rows[run].append((float(rps), float(p50), float(p99), int(bad)))
median = {}
for run, values in rows.items():
    median[run] = statistics.median(v[0] for v in values)
    print(f"{run:18} {median[run]:10,.0f} req/s   p50 {statistics.median(v[1] for v in values):7.3f} ms"
          f"   p99 {statistics.median(v[2] for v in values):7.3f} ms   non-2xx {sum(v[3] for v in values)}"
          f"   (rounds: {', '.join(f'{v[0]:,.0f}' for v in values)})")
def ratio(label, a, b, target):
    print(f"{label:58} {median[a] / median[b]:5.2f}   ({a} / {b}; target {target})")
ratio("hot GET / Larder's JAX-RS ping (defaults: filters on)", "hot@full", "ping@full", ">= 2")
ratio("hot GET / Larder's JAX-RS ping (filters off)", "hot@bare", "ping@bare", ">= 2")
ratio("hot GET (defaults) / plain-servlet ceiling", "hot@full", "ceiling@bare", ">= 0.7")
ratio("hot GET (filters off) / plain-servlet ceiling", "hot@bare", "ceiling@bare", ">= 0.7")
ratio("hot GET, limiter on / limiter off (sessions on in both)", "hot@full", "hot@sessions", ">= 0.85")
ratio("hot GET, limiter on with many clients / limiter off", "hot-keys@full", "hot@sessions", "(>= 0.85)")
ratio("no-op ping, filters on / filters off", "ping@full", "ping@bare", ">= 0.95")
ratio("no-op ping, sessions on / off (limiter off)", "ping@sessions", "ping@bare", ">= 0.95")
ratio("hot GET, filters on / filters off", "hot@full", "hot@bare", "")
EOF
