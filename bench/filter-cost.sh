#!/usr/bin/env bash
# Issue 10's "Larder's own filters cost <= 5 % of a no-op request", measured inside one JVM (hits.sh
# compares separate JVMs, which differ from one another by up to 30 % here). One instance (H2, 1,000
# products, a redis-server of its own) with the defaults: rate limiter on (its limit raised out of the
# way, so every request is decided and admitted), sessions and the response tier on. The plain-servlet
# ceiling answers at two paths (larder.bench.ceiling-servlet=true): /bench/ceiling, which no Larder
# filter handles (the limiter lets a path without a policy through at once), and /api/bench/ceiling,
# which every Larder filter handles as any API request (a rate-limit decision, the response tier's
# pass, the session wrappers). Same servlet, same JVM: the difference is the filters. GET /api/ping,
# Larder's no-op JAX-RS request, is measured beside them as the request the 5 % is taken of, and so is
# the hot GET /api/products/42 (a response-tier hit), which gives issue 10's hot-GET ratios (>= 2 x the
# ping, >= 0.7 x the servlet ceiling) inside one JVM too.
# Runs alternate the four paths (rotated each round) after a warm-up; per path, the median req/s and
# the JVM's CPU per request (from /proc). Bounded: fixed-length wrk runs; everything stops on exit.
#   bench/filter-cost.sh [rounds, default 4] [seconds per run, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-4}
SECONDS_PER_RUN=${2:-8}
. bench/lib.sh
rebuild_if_stale
with_own_redis
port=$(free_port)
printf '%s\n' 'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' \
  'set configs.config.server-config.hazelcast-config-specific-configuration.enabled=false' > "$work/preboot.txt"
LARDER_REDIS_ADDRESS="redis://127.0.0.1:$redis_port" LARDER_SHOP_SEED_PRODUCTS=1000 LARDER_BENCH_CEILING_SERVLET=true \
  LARDER_RATELIMIT_DEFAULT_LIMIT=1000000000 payara "$port" "$work/server.log" --prebootcommandfile "$work/preboot.txt"
app=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 360); do curl -sf "$base/api/bench/ceiling" >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf "$base/api/bench/ceiling" >/dev/null || { tail -40 "$work/server.log"; exit 1; }

paths=(/bench/ceiling /api/bench/ceiling /api/ping /api/products/42)
ticks() { awk '{print $14+$15}' "/proc/$app/stat"; }
hz=$(getconf CLK_TCK)
run() { # path seconds -> "req/s cpu_us_per_request non2xx"
  local t0 t1
  t0=$(ticks)
  wrk -t2 -c32 -d"$2s" "$base$1" > "$work/wrk.txt"
  t1=$(ticks)
  python3 - "$work/wrk.txt" "$((t1 - t0))" "$hz" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
count = int(re.search(r"(\d+) requests in", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{rate:.0f} {int(sys.argv[2]) * 1e6 / int(sys.argv[3]) / count:.1f} {bad.group(1) if bad else 0}")
PY
}
echo "# Larder's filters on a no-op request, one JVM: $(machine), $(java -version 2>&1 | head -1)"
echo "# commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src server-config || echo ' (with uncommitted changes)'), wrk 2 threads x 32 connections, $SECONDS_PER_RUN s per run, $ROUNDS rounds"
echo "## warm-up (not counted): 3 x 10 s of each path"
for _ in 1 2 3; do for p in "${paths[@]}"; do run "$p" 10 > /dev/null; done; done
printf '%-6s %-20s %8s %12s %7s\n' round path "req/s" "CPU us/req" non2xx
for round in $(seq 1 "$ROUNDS"); do
  for k in 0 1 2 3; do
    p=${paths[$(( (k + round - 1) % 4 ))]}
    read -r rps cpu bad <<< "$(run "$p" "$SECONDS_PER_RUN")"
    printf '%-6s %-20s %8s %12s %7s\n' "$round" "$p" "$rps" "$cpu" "$bad"
    printf '%s\t%s\t%s\n' "$p" "$rps" "$cpu" >> "$work/runs.tsv"
  done
done
limiter_calls=$(curl -s "$base/metrics" | awk '/^larder_ratelimit_calls_total/{print $2}' | head -1)
limiter_leased=$(curl -s "$base/metrics" | awk '/^larder_ratelimit_leased_total/{print $2}' | head -1)
echo "## the limiter decided every /api request: ${limiter_leased:-?} admitted from leases, ${limiter_calls:-?} script calls"
python3 - "$work/runs.tsv" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
med = {p: (statistics.median(float(r[1]) for r in rows if r[0] == p), statistics.median(float(r[2]) for r in rows if r[0] == p))
       for p in ("/bench/ceiling", "/api/bench/ceiling", "/api/ping", "/api/products/42")}
bare, behind, ping, hot = med["/bench/ceiling"], med["/api/bench/ceiling"], med["/api/ping"], med["/api/products/42"]
print("## medians: " + "; ".join(f"{p} {v[0]:.0f} req/s, {v[1]:.1f} us CPU/req" for p, v in med.items()))
print(f"filters' CPU per request: {behind[1] - bare[1]:.1f} us = {100 * (behind[1] - bare[1]) / ping[1]:.1f} % of a no-op JAX-RS request's"
      f" ({ping[1]:.1f} us), {100 * (behind[1] - bare[1]) / bare[1]:.1f} % of the bare servlet's")
print(f"throughput behind the filters / bare: {behind[0] / bare[0]:.2f}; time per request added: {1e6 / behind[0] - 1e6 / bare[0]:.1f} us"
      f" = {100 * (1 / behind[0] - 1 / bare[0]) / (1 / ping[0]):.1f} % of a ping's")
print(f"hot GET (response-tier hit) / ping: {hot[0] / ping[0]:.2f} (target >= 2); hot GET / plain-servlet ceiling: {hot[0] / bare[0]:.2f} (target >= 0.7)")
PY
