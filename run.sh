#!/usr/bin/env bash
# Runs Larder on Payara Micro with the flags in server-config/.
#   ./run.sh                      build if needed, start a local redis-server on 6379 if nothing
#                                 answers there, seed demo products, serve on port 8080
#   PORT=8081 ./run.sh            another port (another instance of the same shop)
# Every LARDER_* variable in the environment reaches the application (see README.md).
set -euo pipefail
cd "$(dirname "$0")"
PORT=${PORT:-8080}
export LARDER_SHOP_SEED_PRODUCTS=${LARDER_SHOP_SEED_PRODUCTS:-200}

if [ ! -f target/larder.war ]; then
  mvn -B -q package -DskipTests
fi
micro_jar=$(find "${HOME}/.m2/repository/fish/payara/extras/payara-micro" -name 'payara-micro-6*.jar' 2>/dev/null | sort | tail -n 1)
if [ -z "$micro_jar" ]; then
  mvn -B -q dependency:get -Dartifact=fish.payara.extras:payara-micro:6.2025.10 -Dtransitive=false
  micro_jar=$(find "${HOME}/.m2/repository/fish/payara/extras/payara-micro" -name 'payara-micro-6*.jar' | sort | tail -n 1)
fi

if [ -z "${LARDER_REDIS_ADDRESS:-}" ] && [ -z "${LARDER_REDIS_CONFIG:-}" ]; then
  if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
    command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install -y redis-server" >&2; exit 1; }
    echo "No Redis on 127.0.0.1:6379; starting one (no persistence)"
    redis-server --port 6379 --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --dir "${TMPDIR:-/tmp}" \
      --logfile "${TMPDIR:-/tmp}/larder-redis.log"
  fi
fi

mkdir -p target/payara-root-"$PORT"
# shellcheck disable=SC2046
exec java $(grep -v '^#' server-config/jvm.options) -jar "$micro_jar" \
  --deploy target/larder.war $(grep -v '^#' server-config/payara-micro.args) \
  --port "$PORT" --rootdir target/payara-root-"$PORT"
