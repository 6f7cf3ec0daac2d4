#!/usr/bin/env bash
# Issue 10's boot and memory targets (boot to ready <= 15 s, resident memory after load <= 512 MiB),
# and what Class Data Sharing and glibc's arena limit change, in one run on one machine. One instance
# at a time on H2 with PRODUCTS seeded products and a redis-server of its own; each variant booted
# ROUNDS times, the variants interleaved (rotated each round) so that a drift of the machine's load
# does not favour one:
#   plain      java -jar payara-micro.jar, a fresh --rootdir (Payara unpacks itself): bench/ and the ITs
#   launcher   a persistent root dir's launch-micro.jar (--outputlauncher): nothing unpacked at boot
#   cds        the launcher with a dynamic CDS archive of the classes a boot loads (run.sh's way)
#   cds-arena  cds with MALLOC_ARENA_MAX=2 (glibc's arenas capped; measured here, not used by run.sh or the Dockerfile)
# The archive is made once, as run.sh makes it (server-config/cds.sh: a --warmup boot with
# -XX:ArchiveClassesAtExit that deploys the WAR against the same Redis, then exits); the warm-up also
# registers the WAR in the launcher root, so launcher boots are given no --deploy. Boot = process start to the first 200 of GET /api/products/PRODUCTS
# (polled every 100 ms); then LOAD s of wrk (hot GETs, then pings) and the resident set (RSS) after.
# With NMT=1 the last cds-arena boot also runs with -XX:NativeMemoryTracking=summary and prints
# where its memory is. Bounded: every run has a duration; everything started here stops on exit.
#   bench/boot.sh            env: ROUNDS (3) PRODUCTS (1000) LOAD (10) NMT (1)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
PRODUCTS=${PRODUCTS:-1000}
LOAD=${LOAD:-10}
NMT=${NMT:-1}
. bench/lib.sh
rebuild_if_stale
with_own_redis
# the load comes from one address: a limit no run reaches (the default 100/min would answer 429s,
# and its window outlives an instance, so that the next boot would wait for it)
export LARDER_REDIS_ADDRESS="redis://127.0.0.1:$redis_port" LARDER_SHOP_SEED_PRODUCTS=$PRODUCTS LARDER_RATELIMIT_DEFAULT_LIMIT=1000000000
printf '%s\n' 'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' \
  > "$work/preboot.txt"
read -r -a opts <<< "$(grep -v "^#" server-config/jvm.options | tr "\n" " ")"
read -r -a args <<< "$(grep -v "^#" server-config/payara-micro.args | tr "\n" " ")"
root="$work/launcher-root"
jsa="$work/larder.jsa"

echo "# Larder boot and memory: plain vs launcher vs CDS vs CDS + MALLOC_ARENA_MAX=2"
echo "# $(machine), $(java -version 2>&1 | head -1), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src server-config || echo ' (with uncommitted changes)'), H2, $PRODUCTS products, $ROUNDS rounds, ${LOAD} s hot GETs + ${LOAD} s pings before RSS"
started=$(date +%s%N)
. server-config/cds.sh
cds_archive "$micro_jar" "$root" "$jsa" "$work/warmup.log" target/larder.war --port "$(free_port)" \
  --prebootcommandfile "$work/preboot.txt" || { tail -20 "$work/warmup.log"; echo "the warm-up boot did not deploy" >&2; exit 1; }
echo "## CDS archive: $(( $(stat -c %s "$jsa") / 1048576 )) MiB, made by a --warmup boot in $(( ($(date +%s%N) - started) / 1000000 )) ms"

boot() { # variant round
  local variant=$1 port t0 ms rss extra=() env=() cmd
  port=$(free_port)
  case $variant in
    plain) cmd=(-jar "$micro_jar" --rootdir "$work/fresh-$2" --deploy target/larder.war) ;;
    launcher) cmd=(-jar "$root/launch-micro.jar") ;;
    cds) cmd=(-XX:SharedArchiveFile="$jsa" -jar "$root/launch-micro.jar") ;;
    cds-arena) cmd=(-XX:SharedArchiveFile="$jsa" -jar "$root/launch-micro.jar"); env=(MALLOC_ARENA_MAX=2)
      if [ "$NMT" = 1 ] && [ "$2" = "$ROUNDS" ]; then extra=(-XX:NativeMemoryTracking=summary); fi ;;
  esac
  t0=$(date +%s%N)
  env "${env[@]}" java "${opts[@]}" "${extra[@]}" "${cmd[@]}" "${args[@]}" --port "$port" \
    --prebootcommandfile "$work/preboot.txt" > "$work/$variant-$2.log" 2>&1 &
  app=$!
  for _ in $(seq 1 1200); do
    curl -sf -m 2 "http://127.0.0.1:$port/api/products/$PRODUCTS" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -sf "http://127.0.0.1:$port/api/products/$PRODUCTS" >/dev/null || { tail -40 "$work/$variant-$2.log"; exit 1; }
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  wrk -t2 -c32 -d"${LOAD}s" -s bench/hot.lua "http://127.0.0.1:$port" -- "$PRODUCTS" > /dev/null
  wrk -t2 -c32 -d"${LOAD}s" "http://127.0.0.1:$port/api/ping" > /dev/null
  rss=$(( $(ps -o rss= -p "$app") / 1024 ))
  printf 'round %s  %-10s boot %6s ms   RSS after load %5s MiB\n' "$2" "$variant" "$ms" "$rss"
  printf '%s\t%s\t%s\n' "$variant" "$ms" "$rss" >> "$work/boot.tsv"
  if [ ${#extra[@]} -gt 0 ]; then
    echo "## native memory (NMT summary, committed), $variant round $2"
    jcmd "$app" VM.native_memory summary scale=MB | grep -E '^(Total|-\s+[A-Za-z ]+ \(reserved)' | sed 's/^/  /'
  fi
  kill "$app"; wait "$app" 2>/dev/null || true; app=""
}
variants=(plain launcher cds cds-arena)
for round in $(seq 1 "$ROUNDS"); do
  shift_by=$(( (round - 1) % ${#variants[@]} ))
  for k in "${!variants[@]}"; do
    boot "${variants[$(( (k + shift_by) % ${#variants[@]} ))]}" "$round"
  done
done
echo "## medians over $ROUNDS rounds"
python3 - "$work/boot.tsv" "${variants[@]}" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
for v in sys.argv[2:]:
    boots = sorted(int(r[1]) for r in rows if r[0] == v)
    rss = sorted(int(r[2]) for r in rows if r[0] == v)
    print(f"{v:<10} boot {statistics.median(boots):8.0f} ms   RSS {statistics.median(rss):6.0f} MiB   (boots: {', '.join(map(str, boots))}; RSS: {', '.join(map(str, rss))})")
PY
