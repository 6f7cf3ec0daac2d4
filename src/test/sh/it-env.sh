#!/usr/bin/env bash
# The integration tests' own servers: a redis-server on a free port (reserved by Maven) and a
# PostgreSQL database of their own on the machine's PostgreSQL. Never touches Redis on 6379 or any
# other database.
#   it-env.sh start PORT        start Redis on PORT and create database larder_it_PORT
#   it-env.sh stop PORT         stop that Redis and drop that database
#   it-env.sh redis-start PORT  (re)start only Redis, e.g. after a test stopped it
#   it-env.sh redis-stop PORT   stop only Redis
set -euo pipefail
cmd=${1:?start|stop|redis-start|redis-stop}
port=${2:?port}
dir="$(cd "$(dirname "$0")/../../.." && pwd)/target/it-redis-$port"
db="larder_it_$port"
pg_host=${LARDER_IT_PG_HOST:-127.0.0.1}
pg_user=${LARDER_IT_PG_USER:-postgres}

redis_start() {
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  for _ in $(seq 1 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "redis-server on port $port did not answer" >&2
  return 1
}

redis_stop() {
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
}

psql_admin() {
  psql -h "$pg_host" -U "$pg_user" -d postgres -v ON_ERROR_STOP=1 -q -c "$1"
}

case "$cmd" in
  start)
    redis_start
    psql_admin "DROP DATABASE IF EXISTS $db"
    psql_admin "CREATE DATABASE $db"
    ;;
  stop)
    redis_stop
    psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
    ;;
  redis-start) redis_start ;;
  redis-stop) redis_stop ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
