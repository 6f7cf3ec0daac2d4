# Shared by the bench scripts (sourced): tools, the Payara Micro jar, free ports, a private Redis.
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -f target/larder.war ] || mvn -B -q package -DskipTests
# Rebuilds the WAR when a source is newer than it (scripts that compare figures across commits call it).
rebuild_if_stale() {
  if [ -n "$(find src pom.xml -newer target/larder.war -type f | head -n 1)" ]; then
    mvn -B -q package -DskipTests
  fi
}
micro_jar=$(find "$HOME/.m2/repository/fish/payara/extras/payara-micro" -name 'payara-micro-6*.jar' | sort | tail -n 1)
work=$(mktemp -d /tmp/larder-bench.XXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_redis() { # port
  redis-server --port "$1" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --dir "$work" --logfile "$work/redis-$1.log"
}
stop_redis() { redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true; }
# java -jar payara-micro with server-config/ (or CONFIG_DIR) deploying target/larder.war (or WAR); environment
# from the caller. Usage: payara PORT LOG [MORE PAYARA ARGS...]
payara() {
  local port=$1 log=$2; shift 2
  # shellcheck disable=SC2046
  java $(grep -v '^#' "${CONFIG_DIR:-server-config}/jvm.options") -jar "$micro_jar" --deploy "${WAR:-target/larder.war}" \
    $(grep -v '^#' "${CONFIG_DIR:-server-config}/payara-micro.args") --port "$port" --rootdir "$work/root-$port" "$@" > "$log" 2>&1 &
}
machine() { echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"; }
# Admin writes (cache invalidation, product changes) need a bearer token: the bench servers trust a
# key pair made here for this run only, and TOKEN is an admin token signed with it.
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
(umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/jwt-private.pem" 2>/dev/null)
export MP_JWT_VERIFY_PUBLICKEY MP_JWT_VERIFY_ISSUER=larder-bench
MP_JWT_VERIFY_PUBLICKEY=$(openssl pkey -in "$work/jwt-private.pem" -pubout)
bench_token() {
  local now header payload
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"larder-bench","sub":"bench","upn":"bench","groups":["admin"],"iat":%d,"exp":%d,"jti":"%s"}' \
    "$now" $((now + 7200)) "$(openssl rand -hex 16)" | b64url)
  printf '%s.%s.%s' "$header" "$payload" \
    "$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$work/jwt-private.pem" -binary | b64url)"
}
TOKEN=$(bench_token)
export TOKEN

# A redis-server of the script's own on $redis_port; on exit it is stopped, after the Payara Micro whose
# pid the script keeps in $app (if any).
with_own_redis() {
  redis_port=$(free_port)
  start_redis "$redis_port"
  app=""
  trap 'if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; fi; stop_redis "$redis_port"' EXIT
}

# One loopback-only instance (no Hazelcast grid) on a PostgreSQL database and a redis-server of its
# own, both removed on exit, with N seeded products; sets base, db, redis_port, app_pid.
#   one_instance_on_postgres SEED_PRODUCTS
one_instance_on_postgres() {
  redis_port=$(free_port)
  app_port=$(free_port)
  db="larder_bench_$app_port"
  trap 'cleanup_instance' EXIT
  psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $db"
  start_redis "$redis_port"
  export LARDER_RATELIMIT_ENABLED=false LARDER_REDIS_ADDRESS="redis://127.0.0.1:$redis_port" LARDER_SHOP_SEED_PRODUCTS=$1 \
    LARDER_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" LARDER_DB_USER=postgres LARDER_DB_PASSWORD=postgres
  printf '%s\n' 'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' \
    'set configs.config.server-config.hazelcast-config-specific-configuration.enabled=false' > "$work/preboot.txt"
  payara "$app_port" "$work/server.log" --prebootcommandfile "$work/preboot.txt"
  app_pid=$!
  base="http://127.0.0.1:$app_port"
  for _ in $(seq 1 240); do
    curl -sf "$base/api/products/$1" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -sf "$base/api/products/$1" >/dev/null || { tail -40 "$work/server.log"; exit 1; }
}
cleanup_instance() {
  [ -n "${app_pid:-}" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  stop_redis "$redis_port"
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
}
