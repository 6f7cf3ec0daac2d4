#!/usr/bin/env bash
# The integration tests' own servers: a redis-server on a free port (reserved by Maven) and a
# PostgreSQL database of their own on the machine's PostgreSQL. Never touches Redis on 6379 or any
# other database.
#   it-env.sh start PORT [MODE] start Redis on PORT and create database larder_it_PORT; MODE single
#                               (default) or cluster: a Redis Cluster of 3 masters + 3 replicas, the
#                               first master on PORT (target/it-redis-cluster, redis-cluster.sh); every
#                               later command acts on the whole cluster
#   it-env.sh stop PORT         stop that Redis and drop that database
#   it-env.sh redis-start PORT  (re)start only Redis, e.g. after a test stopped it
#   it-env.sh redis-stop PORT   stop only Redis
#   it-env.sh redis-pause PORT  freeze Redis (SIGSTOP): connections stay open, nothing answers
#   it-env.sh redis-resume PORT thaw it (SIGCONT); it keeps its data
#   it-env.sh redis-kill PORT   kill Redis with SIGKILL (redis-start brings it back empty)
set -euo pipefail
cmd=${1:?start|stop|redis-start|redis-stop|redis-pause|redis-resume|redis-kill}
port=${2:?port}
target="$(cd "$(dirname "$0")/../../.." && pwd)/target"
dir="$target/it-redis-$port"
cluster_dir="$target/it-redis-cluster"
cluster="$(dirname "$0")/redis-cluster.sh"
if [ "$cmd" = start ]; then
  mode=${3:-single}
  mkdir -p "$dir"
  echo "$mode" > "$dir/mode"
else
  mode=$(cat "$dir/mode" 2>/dev/null || echo single)
fi
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

# The pid of this port's redis-server, from the pidfile it wrote; fails unless that process is a redis-server.
redis_pid() {
  local pid
  pid=$(cat "$dir/redis.pid" 2>/dev/null) || { echo "no pidfile $dir/redis.pid" >&2; return 1; }
  [[ "$(ps -p "$pid" -o comm= 2>/dev/null)" == redis-server* ]] \
    || { echo "redis-server $pid (port $port) is not running" >&2; return 1; }
  echo "$pid"
}

redis_signal() {
  local pid
  pid=$(redis_pid)
  kill "-$1" "$pid"
}

redis_stop() {
  # A paused server would leave redis-cli waiting forever: thaw it first.
  redis_signal CONT 2>/dev/null || true
  timeout 10 redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
}

redis_kill() {
  local pid
  pid=$(redis_pid)
  kill -KILL "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$dir/redis.pid"; return 0; }
    sleep 0.05
  done
  echo "redis-server $pid (port $port) survived SIGKILL" >&2
  return 1
}

psql_admin() {
  psql -h "$pg_host" -U "$pg_user" -d postgres -v ON_ERROR_STOP=1 -q -c "$1"
}

if [ "$mode" = cluster ]; then
  case "$cmd" in
    start)
      rm -rf "$cluster_dir"
      bash "$cluster" start "$cluster_dir" "$port"
      psql_admin "DROP DATABASE IF EXISTS $db"
      psql_admin "CREATE DATABASE $db"
      ;;
    stop)
      bash "$cluster" stop "$cluster_dir"
      psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
      ;;
    redis-start) bash "$cluster" restart "$cluster_dir" ;;
    redis-stop) bash "$cluster" stop "$cluster_dir" ;;
    redis-pause) bash "$cluster" pause "$cluster_dir" ;;
    redis-resume) bash "$cluster" resume "$cluster_dir" ;;
    redis-kill) bash "$cluster" kill "$cluster_dir" ;;
    *) echo "unknown command $cmd" >&2; exit 2 ;;
  esac
  exit 0
fi

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
  redis-pause) redis_signal STOP ;;
  redis-resume) redis_signal CONT ;;
  redis-kill) redis_kill ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
