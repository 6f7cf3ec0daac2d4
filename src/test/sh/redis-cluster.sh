#!/usr/bin/env bash
# A Redis Cluster of the tests' own: 3 masters + 3 replicas on loopback, in a directory of its own.
#   redis-cluster.sh start DIR [PORT ...]  start 6 nodes (on the given ports, else free ones; each also
#                                          takes a free cluster-bus port), create the cluster, wait
#                                          until every node agrees; writes DIR/ports (one per line),
#                                          DIR/redisson.yaml (a Redisson clusterServersConfig)
#   redis-cluster.sh stop DIR              shut every node down and forget the cluster
#   redis-cluster.sh kill DIR              SIGKILL every node (restart brings them back, empty)
#   redis-cluster.sh restart DIR           start the nodes again from their nodes.conf, wait for ok
#   redis-cluster.sh pause DIR | resume DIR  SIGSTOP / SIGCONT every node (they keep their data)
# Replicas never fail over and the node timeout is long, so a pause or a kill of the whole cluster
# (what the fault tests do) comes back as the same cluster.
set -euo pipefail
cmd=${1:?start|stop|kill|restart|pause|resume}
dir=${2:?directory}
shift 2

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

node_start() {
  local port=$1 bus=$2
  mkdir -p "$dir/$port"
  redis-server --port "$port" --cluster-port "$bus" --bind 127.0.0.1 --cluster-enabled yes \
    --cluster-config-file "$dir/$port/nodes.conf" --cluster-node-timeout 60000 \
    --cluster-replica-no-failover yes --save "" --appendonly no --daemonize yes \
    --dir "$dir/$port" --pidfile "$dir/$port/redis.pid" --logfile "$dir/$port/redis.log"
}

ports() {
  cut -d' ' -f1 "$dir/ports"
}

await_ok() {
  local deadline=$((SECONDS + 60)) port
  while :; do
    local ok=1
    for port in $(ports); do
      timeout 5 redis-cli -p "$port" cluster info 2>/dev/null | grep -q 'cluster_state:ok' || ok=0
    done
    if [ "$ok" = 1 ] && timeout 10 redis-cli --cluster check "127.0.0.1:$(ports | head -n 1)" >/dev/null 2>&1; then
      return 0
    fi
    if [ $SECONDS -gt $deadline ]; then
      echo "the cluster in $dir did not become ok" >&2
      return 1
    fi
    sleep 0.2
  done
}

signal_all() {
  local port pid
  for port in $(ports); do
    pid=$(cat "$dir/$port/redis.pid" 2>/dev/null) || continue
    [[ "$(ps -p "$pid" -o comm= 2>/dev/null)" == redis-server* ]] && kill "-$1" "$pid" || true
  done
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    : > "$dir/ports"
    wanted=("$@")
    for i in 0 1 2 3 4 5; do
      port=${wanted[$i]:-$(free_port)}
      echo "$port $(free_port)" >> "$dir/ports"
    done
    while read -r port bus; do node_start "$port" "$bus"; done < "$dir/ports"
    for port in $(ports); do
      for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    done
    # shellcheck disable=SC2046
    redis-cli --cluster create $(ports | sed 's/^/127.0.0.1:/') --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1
    await_ok
    {
      # only the topology: Larder applies its own timeouts, pools and read mode to any YAML
      echo "clusterServersConfig:"
      echo "  nodeAddresses:"
      for port in $(ports); do echo "    - \"redis://127.0.0.1:$port\""; done
    } > "$dir/redisson.yaml"
    ;;
  stop)
    signal_all CONT
    for port in $(ports); do timeout 10 redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
    ;;
  kill)
    signal_all KILL
    for port in $(ports); do
      for _ in $(seq 1 100); do
        pid=$(cat "$dir/$port/redis.pid" 2>/dev/null) || break
        kill -0 "$pid" 2>/dev/null || { rm -f "$dir/$port/redis.pid"; break; }
        sleep 0.05
      done
    done
    ;;
  restart)
    while read -r port bus; do node_start "$port" "$bus"; done < "$dir/ports"
    await_ok
    ;;
  pause) signal_all STOP ;;
  resume) signal_all CONT ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
