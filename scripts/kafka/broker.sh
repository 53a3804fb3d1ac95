#!/usr/bin/env bash
# A real single-node Apache Kafka (KRaft, broker+controller in one JVM) on 127.0.0.1,
# assembled from Maven Central jars. Usage: scripts/kafka/broker.sh start|stop|status
#
# Settings (environment):
#   KAFKA_PORT            client port (default 9092); the controller uses KAFKA_PORT+1
#   KAFKA_DATA_DIR        log dirs, config, pid and broker log (default $NEWSENRICH_CACHE/kafka-<port>)
#   NEWSENRICH_CACHE      download cache outside git (default ~/.cache/newsenrich)
#   KAFKA_HEAP            JVM heap (default 768m)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kafka_version=3.9.2
port=${KAFKA_PORT:-9092}
controller_port=$((port + 1))
cache=${NEWSENRICH_CACHE:-$HOME/.cache/newsenrich}
libs=$cache/kafka-$kafka_version/libs
data=${KAFKA_DATA_DIR:-$cache/kafka-$port}
pidfile=$data/broker.pid
logfile=$data/broker.log
start_timeout=${KAFKA_START_TIMEOUT:-120}

log() { echo "kafka: $*" >&2; }

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

fetch_jars() {
  [ -f "$libs/.complete" ] && return 0
  log "resolving Kafka $kafka_version jars from Maven Central into $libs"
  mkdir -p "$libs"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$libs" >&2
  touch "$libs/.complete"
}

write_config() {
  mkdir -p "$data/logs"
  cat > "$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data/logs
num.partitions=4
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=8
default.replication.factor=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
  cat > "$data/log4j.properties" <<'PROPS'
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=${kafka.logs.dir}/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
PROPS
}

jvm_opts() {
  jvm=(-Xms256m -Xmx"${KAFKA_HEAP:-768m}" -XX:+UseG1GC
    -Dlog4j.configuration="file:$data/log4j.properties" -Dkafka.logs.dir="$data" -cp "$libs/*")
}

start() {
  if pid=$(running_pid); then
    log "already running (pid $pid) on 127.0.0.1:$port"
    return 0
  fi
  if port_open; then
    log "port $port is taken by another process; set KAFKA_PORT or stop it"
    return 1
  fi
  fetch_jars
  write_config
  jvm_opts
  if [ ! -f "$data/logs/meta.properties" ]; then
    cluster_id=$(java "${jvm[@]}" kafka.tools.StorageTool random-uuid)
    java "${jvm[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$data/server.properties" >/dev/null
  fi
  : > "$data/server.log"
  # java runs as a direct child so that the pid file names the JVM itself (stop sends it SIGTERM).
  java "${jvm[@]}" kafka.Kafka "$data/server.properties" >"$logfile" 2>&1 </dev/null &
  echo $! > "$pidfile"
  local waited=0
  until grep -q "Kafka Server started" "$data/server.log" 2>/dev/null && port_open; do
    if ! running_pid >/dev/null; then
      log "broker exited during start-up; last lines of $data/server.log:"
      tail -n 20 "$data/server.log" "$logfile" >&2 || true
      return 1
    fi
    if [ "$waited" -ge "$start_timeout" ]; then
      log "broker did not answer within ${start_timeout}s; see $data/server.log"
      stop
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  log "ready on 127.0.0.1:$port (pid $(cat "$pidfile"), data $data)"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    log "not running"
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$pidfile"
  log "stopped"
}

status() {
  if pid=$(running_pid) && port_open; then
    echo "running pid=$pid bootstrap=127.0.0.1:$port data=$data"
  else
    echo "stopped"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
