# Shared by the bench scripts (sourced): tools, the Payara Micro jar, free ports, a private Redis.
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -f target/larder.war ] || mvn -B -q package -DskipTests
micro_jar=$(find "$HOME/.m2/repository/fish/payara/extras/payara-micro" -name 'payara-micro-6*.jar' | sort | tail -n 1)
work=$(mktemp -d /tmp/larder-bench.XXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_redis() { # port
  redis-server --port "$1" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --dir "$work" --logfile "$work/redis-$1.log"
}
stop_redis() { redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true; }
# java -jar payara-micro with server-config/; environment from the caller. Usage: payara PORT LOG [MORE PAYARA ARGS...]
payara() {
  local port=$1 log=$2; shift 2
  # shellcheck disable=SC2046
  java $(grep -v '^#' server-config/jvm.options) -jar "$micro_jar" --deploy target/larder.war \
    $(grep -v '^#' server-config/payara-micro.args) --port "$port" --rootdir "$work/root-$port" "$@" > "$log" 2>&1 &
}
machine() { echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"; }
