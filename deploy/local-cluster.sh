#!/usr/bin/env bash
# A KeepCluster of N nodes on this machine (127.0.0.1 only), for trying the cluster out.
# Run with --help for the commands; README "### Local cluster" says what it guarantees.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: deploy/local-cluster.sh [--dir DIR] [--base-port PORT] [--jar JAR] COMMAND
  start N      start nodes 1..N (default 3) and wait until each is ready; refuses (exit 1,
               showing the status) while any node of DIR is running
  stop         stop exactly the nodes started from DIR (SIGTERM, then wait for them)
  status       each node: running or stopped, ready or not, its URLs (exit 0 only when all are ready)
  restart I    stop node I and start it again with the same settings
  --help       this text

Options (or environment):
  --dir DIR        KEEP_LOCAL_CLUSTER_DIR   cluster folder (default: ./local-cluster in the checkout)
  --base-port P    KEEP_BASE_PORT           node I listens on P+20*(I-1) + 0 api, 6 health,
                                            9 management, 10 metrics, 15 cluster (default 8880)
  --jar JAR        KEEP_NODE_JAR            node jar (default: node/target/keepcluster-node.jar)
                   JAVA_OPTS                JVM options (default: -Xms64m -Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps)
                   KEEP_START_TIMEOUT       seconds to wait for each node to be ready (default 120)
                   KEEP_SHUTDOWN_DRAIN_SECONDS  passed to the nodes; stop waits this plus 30 s

DIR/secrets.env (mode 0600) keeps the cluster secret and the passwords of the API user 'admin'
and of the management account 'admin': generated on the first start, reused by every later one.
Logs are appended to DIR/nodeI/node.log (stderr) and DIR/nodeI/out.log (stdout).
EOF
}

die() { echo "local-cluster.sh: $*" >&2; exit 2; }

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${KEEP_LOCAL_CLUSTER_DIR:-$ROOT/local-cluster}"
BASE_PORT="${KEEP_BASE_PORT:-}"
JAR="${KEEP_NODE_JAR:-$ROOT/node/target/keepcluster-node.jar}"
JAVA_OPTS="${JAVA_OPTS:--Xms64m -Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps}"
START_TIMEOUT="${KEEP_START_TIMEOUT:-120}"
DRAIN="${KEEP_SHUTDOWN_DRAIN_SECONDS:-5}"
KEYSET=local-cluster   # the keyset every node signs with, so a token of one node works on all

while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || die "--dir needs a folder"; DIR="$2"; shift 2 ;;
    --base-port) [ $# -ge 2 ] || die "--base-port needs a port"; BASE_PORT="$2"; shift 2 ;;
    --jar) [ $# -ge 2 ] || die "--jar needs a file"; JAR="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { usage >&2; exit 2; }
COMMAND="$1"; shift
case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac
CONF="$DIR/cluster.conf"      # N and the base port of the last start: stop/status/restart read them
SECRETS="$DIR/secrets.env"

# ---- cluster layout -------------------------------------------------------------------------

load_conf() {
  N=""; STORED_BASE=""; STORED_URL=""
  if [ -f "$CONF" ]; then
    N="$(sed -n 's/^NODES=\([0-9]*\)$/\1/p' "$CONF")"
    STORED_BASE="$(sed -n 's/^BASE_PORT=\([0-9]*\)$/\1/p' "$CONF")"
    STORED_URL="$(sed -n 's/^PUBLIC_URL=//p' "$CONF")"
  fi
  [ -n "$BASE_PORT" ] || BASE_PORT="${STORED_BASE:-8880}"
}

check_port_number() {
  case "$1" in ''|*[!0-9]*) die "base port must be a number, got '$1'" ;; esac
  [ "$1" -ge 1024 ] && [ "$1" -le 64000 ] || die "base port must be between 1024 and 64000, got $1"
}

port() {  # port NODE OFFSET
  echo $((BASE_PORT + 20 * ($1 - 1) + $2))
}
api_port() { port "$1" 0; }
health_port() { port "$1" 6; }
management_port() { port "$1" 9; }
metrics_port() { port "$1" 10; }
cluster_port() { port "$1" 15; }

node_dir() { echo "$DIR/node$1"; }
config_dir() { echo "$DIR/node$1/keepconfig.d"; }
pid_file() { echo "$DIR/node$1/pid"; }

# ---- processes ------------------------------------------------------------------------------

# The pid of node I if that process is alive AND is the java started on node I's folder; a pid
# file pointing at a dead or foreign process (the pid was reused) is stale and removed.
node_pid() {
  local file pid args
  file="$(pid_file "$1")"
  [ -f "$file" ] || return 1
  pid="$(tr -dc '0-9' < "$file")"
  if [ -n "$pid" ] && args="$(command_line "$pid")" \
      && [[ "$args" == *java*"--config-dir $(config_dir "$1")"* ]]; then
    echo "$pid"
    return 0
  fi
  rm -f "$file"
  echo "node$1: removed stale pid file (process ${pid:-?} is not a node of this folder)" >&2
  return 1
}

command_line() {  # the full command line of a live process, or failure
  if [ -r "/proc/$1/cmdline" ]; then
    tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null
  else
    ps -ww -o args= -p "$1" 2>/dev/null
  fi
}

running_nodes() {  # node numbers with a live process, from every nodeI folder present
  local d i
  for d in "$DIR"/node*; do
    [ -d "$d" ] || continue
    i="${d##*/node}"
    case "$i" in ''|*[!0-9]*) continue ;; esac
    if node_pid "$i" >/dev/null; then echo "$i"; fi
  done | sort -n
}

http_ok() {  # http_ok URL: true on a 2xx answer
  curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null
}

ready() { http_ok "http://127.0.0.1:$(health_port "$1")/health/ready"; }

# ---- secrets --------------------------------------------------------------------------------

random_password() {
  local text
  text="$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  echo "${text:0:24}"
}

# Creates secrets.env once (values from the environment if given, otherwise generated) and
# prints the passwords that one time; every later start reads the same file.
ensure_secrets() {
  if [ -f "$SECRETS" ]; then
    chmod 600 "$SECRETS"
    warn_ignored KEEP_CLUSTER_SECRET; warn_ignored KEEP_ADMIN_PASSWORD; warn_ignored KEEP_MANAGEMENT_PASSWORD
    return 0
  fi
  local existing="" i secret admin management
  for i in $(seq 1 "$N"); do
    if [ -d "$(config_dir "$i")" ] && [ -n "$(ls -A "$(config_dir "$i")" 2>/dev/null)" ]; then
      existing="$existing node$i"
    fi
  done
  secret="${KEEP_CLUSTER_SECRET:-$(java $JAVA_OPTS -jar "$JAR" secret generate)}"
  admin="${KEEP_ADMIN_PASSWORD:-$(random_password)}"
  management="${KEEP_MANAGEMENT_PASSWORD:-$(random_password)}"
  (
    umask 077
    {
      echo "# KeepCluster local cluster in $DIR: created $(date -u +%Y-%m-%dT%H:%M:%SZ), read by every start."
      echo "KEEP_CLUSTER_SECRET=$secret"
      if [ -z "$existing" ]; then
        echo "KEEP_ADMIN_PASSWORD=$admin"
        echo "KEEP_MANAGEMENT_PASSWORD=$management"
      fi
    } > "$SECRETS"
  )
  chmod 600 "$SECRETS"
  if [ -n "$existing" ]; then
    # A password only applies when a node creates its folder; these folders already have theirs.
    echo "Stored a new cluster secret in $SECRETS (mode 0600). The folders of$existing existed"
    echo "before it: their 'admin' passwords are the ones set when they were created (change the"
    echo "API one with: java -jar $JAR user passwd admin --password-stdin --config-dir $(config_dir 1))."
  else
    echo "Generated once and stored in $SECRETS (mode 0600), reused by every later start:"
    echo "  cluster secret (KEEP_CLUSTER_SECRET): in that file only"
    echo "  API user 'admin' password:           $admin"
    echo "  management account 'admin' password: $management"
  fi
}

warn_ignored() {  # a value in the environment cannot change a cluster that already exists
  local name="$1" stored
  [ -n "${!name:-}" ] || return 0
  stored="$(sed -n "s/^$name=//p" "$SECRETS")"
  if [ "$stored" != "${!name}" ]; then
    echo "local-cluster.sh: $name from the environment is ignored: this cluster uses the one in $SECRETS" >&2
  fi
}

load_secrets() {
  KEEP_CLUSTER_SECRET="$(sed -n 's/^KEEP_CLUSTER_SECRET=//p' "$SECRETS")"
  KEEP_ADMIN_PASSWORD="$(sed -n 's/^KEEP_ADMIN_PASSWORD=//p' "$SECRETS")"
  KEEP_MANAGEMENT_PASSWORD="$(sed -n 's/^KEEP_MANAGEMENT_PASSWORD=//p' "$SECRETS")"
  [ -n "$KEEP_CLUSTER_SECRET" ] || die "$SECRETS has no KEEP_CLUSTER_SECRET; delete the file and the node folders to start afresh"
}

# ---- start / stop ---------------------------------------------------------------------------

members() {
  local i list=""
  for i in $(seq 1 "$N"); do list="$list${list:+,}127.0.0.1:$(cluster_port "$i")"; done
  echo "$list"
}

launch() {  # launch I: starts node I in the background and records its pid
  local i="$1" dir
  dir="$(node_dir "$i")"
  mkdir -p "$dir"
  echo "=== local-cluster.sh: starting node$i at $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$dir/node.log"
  # Every port and address is set here, so a PORT or BIND of the caller's shell cannot leak in.
  # MANAGEMENT_BIND/METRICS_BIND keep the console and metrics on loopback once the node reads them.
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of options
  env -u MANAGEMENTPORT PORT="$(api_port "$i")" HEALTHCHECKPORT="$(health_port "$i")" MANAGMENTPORT="$(management_port "$i")" \
    METRICSPORT="$(metrics_port "$i")" BIND=127.0.0.1 MANAGEMENT_BIND=127.0.0.1 METRICS_BIND=127.0.0.1 \
    KEEP_NODE_ID="node$i" KEEP_CLUSTER_NAME=local KEEP_CLUSTER_INTERFACE=127.0.0.1 \
    KEEP_CLUSTER_PORT="$(cluster_port "$i")" KEEP_CLUSTER_MEMBERS="$(members)" \
    KEEP_CLUSTER_SECRET="$KEEP_CLUSTER_SECRET" KEEP_ADMIN_PASSWORD="$KEEP_ADMIN_PASSWORD" \
    KEEP_MANAGEMENT_PASSWORD="$KEEP_MANAGEMENT_PASSWORD" KEEP_PUBLIC_URL="$PUBLIC_URL" \
    KEEP_SHUTDOWN_DRAIN_SECONDS="$DRAIN" \
    nohup java $JAVA_OPTS -jar "$JAR" --config-dir "$(config_dir "$i")" \
      < /dev/null >> "$dir/out.log" 2>> "$dir/node.log" &
  local pid=$! tries=0
  # Until env and nohup have exec'd java, the pid still shows this shell's command line, and
  # node_pid would take it for a stale pid: wait for the exec (or the process's early exit).
  while [[ "$(command_line "$pid" || true)" != *java*"--config-dir $(config_dir "$i")"* ]] \
      && kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 100 ]; do
    sleep 0.1
    tries=$((tries + 1))
  done
  echo "$pid" > "$(pid_file "$i")"
}

await_ready() {  # await_ready I: until /health/ready answers 200; fails if the node exits
  local i="$1" deadline pid
  deadline=$((SECONDS + START_TIMEOUT))
  while ! ready "$i"; do
    if ! pid="$(node_pid "$i" 2>/dev/null)"; then
      echo "local-cluster.sh: node$i exited while starting; last lines of $(node_dir "$i")/node.log:" >&2
      tail -n 15 "$(node_dir "$i")/node.log" >&2 || true
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "local-cluster.sh: node$i (pid $pid) not ready after ${START_TIMEOUT}s; see $(node_dir "$i")/node.log" >&2
      return 1
    fi
    sleep 1
  done
}

signing_keyset_on() {  # true when node I's /health names the cluster keyset as the signer
  curl -fsS --max-time 3 "http://127.0.0.1:$(health_port "$1")/health" 2>/dev/null \
    | grep -q "\"signing\":\"$KEYSET\""
}

# A fresh cluster has only per-node ephemeral keys (tokens valid on one node). One keyset,
# dropped on node 1 once, spreads to every node, so a token of any node works on all of them.
ensure_keyset() {
  local i found="" deadline
  for i in $(seq 1 "$N"); do
    [ -f "$(config_dir "$i")/$KEYSET.json" ] && found=yes
  done
  if [ -z "$found" ]; then
    # shellcheck disable=SC2086
    java $JAVA_OPTS -jar "$JAR" idp create "$KEYSET" --algorithm EC --config-dir "$(config_dir 1)" >/dev/null
  fi
  deadline=$((SECONDS + START_TIMEOUT))
  for i in $(seq 1 "$N"); do
    until signing_keyset_on "$i"; do
      [ "$SECONDS" -lt "$deadline" ] || { echo "local-cluster.sh: node$i does not sign with keyset $KEYSET after ${START_TIMEOUT}s" >&2; return 1; }
      sleep 1
    done
  done
}

print_node() {  # print_node I
  local i="$1" pid state readiness
  if pid="$(node_pid "$i" 2>/dev/null)"; then
    state="running (pid $pid)"
    if ready "$i"; then readiness="ready"; else readiness="NOT READY"; fi
  else
    state="stopped"; readiness="-"
  fi
  echo "node$i: $state, $readiness"
  echo "  api        http://127.0.0.1:$(api_port "$i")/api/v1/auth"
  echo "  health     http://127.0.0.1:$(health_port "$i")/health  (/health/ready, /health/live)"
  echo "  management http://127.0.0.1:$(management_port "$i")/api/node  (HTTP Basic: admin + the management password)"
  echo "  metrics    http://127.0.0.1:$(metrics_port "$i")/metrics"
  echo "  logs       $(node_dir "$i")/node.log"
}

cmd_status() {
  load_conf
  [ -n "$N" ] || { echo "no cluster in $DIR (start one with: deploy/local-cluster.sh start 3)"; return 3; }
  local i rc=0
  echo "cluster in $DIR: $N nodes, base port $BASE_PORT, secrets in $SECRETS"
  for i in $(seq 1 "$N"); do
    print_node "$i"
    { node_pid "$i" >/dev/null 2>&1 && ready "$i"; } || rc=3
  done
  return "$rc"
}

cmd_start() {
  local wanted="${1:-3}" running i
  case "$wanted" in ''|*[!0-9]*) die "start needs a number of nodes, got '$wanted'" ;; esac
  [ "$wanted" -ge 1 ] && [ "$wanted" -le 20 ] || die "start takes 1 to 20 nodes, got $wanted"
  running="$(running_nodes)"
  if [ -n "$running" ]; then
    echo "local-cluster.sh: refused: the cluster in $DIR is already running (nodes: $(echo $running)); nothing changed." >&2
    echo "Stop it first (deploy/local-cluster.sh stop) or restart one node (restart I)." >&2
    cmd_status || true
    return 1
  fi
  [ -f "$JAR" ] || die "no node jar at $JAR (build it: mvn -B -q -DskipTests package)"
  command -v curl >/dev/null 2>&1 || die "curl is needed to wait for the nodes' /health/ready"
  load_conf
  check_port_number "$BASE_PORT"
  N="$wanted"
  # One issuer for every node (node 1's API); nothing else listens there unless you add a proxy.
  PUBLIC_URL="${KEEP_PUBLIC_URL:-http://127.0.0.1:$(api_port 1)}"
  mkdir -p "$DIR"
  printf 'NODES=%s\nBASE_PORT=%s\nPUBLIC_URL=%s\n' "$N" "$BASE_PORT" "$PUBLIC_URL" > "$CONF"
  ensure_secrets
  load_secrets
  for i in $(seq 1 "$N"); do launch "$i"; done
  # A failed start leaves nothing running: the caller can fix the cause and simply start again.
  for i in $(seq 1 "$N"); do await_ready "$i" || { abandon_start; return 1; }; done
  ensure_keyset || { abandon_start; return 1; }
  for i in $(seq 1 "$N"); do print_node "$i"; done
  echo "Passwords and cluster secret: $SECRETS. Stop with: deploy/local-cluster.sh${DIR_FLAG} stop"
}

abandon_start() {
  echo "local-cluster.sh: start failed; stopping the nodes it started" >&2
  cmd_stop >&2
}

stop_node() {  # stop_node I: SIGTERM, wait, SIGKILL only if it ignored SIGTERM
  local i="$1" pid
  pid="$(node_pid "$i" 2>/dev/null)" || { rm -f "$(pid_file "$i")"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  await_exit "$i" "$pid"
}

await_exit() {  # await_exit I PID: waits for a node sent SIGTERM; SIGKILL if it ignores it
  local i="$1" pid="$2" deadline
  deadline=$((SECONDS + DRAIN + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "local-cluster.sh: node$i (pid $pid) ignored SIGTERM for $((DRAIN + 30))s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.2
  done
  rm -f "$(pid_file "$i")"
  echo "node$i: stopped (pid $pid)"
}

cmd_stop() {
  local i pid pids=()
  for i in $(running_nodes); do
    if pid="$(node_pid "$i")"; then pids+=("$i:$pid"); fi
  done
  [ "${#pids[@]}" -gt 0 ] || { echo "no node of $DIR is running"; return 0; }
  # SIGTERM to all first, so the nodes drain in parallel; then wait for each one.
  for entry in "${pids[@]}"; do kill -TERM "${entry#*:}" 2>/dev/null || true; done
  for entry in "${pids[@]}"; do await_exit "${entry%%:*}" "${entry#*:}"; done
}

cmd_restart() {
  local i="${1:-}"
  load_conf
  [ -n "$N" ] || die "no cluster in $DIR to restart a node of"
  case "$i" in ''|*[!0-9]*) die "restart needs a node number, got '$i'" ;; esac
  [ "$i" -ge 1 ] && [ "$i" -le "$N" ] || die "restart takes a node number from 1 to $N, got $i"
  [ -f "$SECRETS" ] || die "no $SECRETS: start the cluster first"
  load_secrets
  PUBLIC_URL="${STORED_URL:-http://127.0.0.1:$(api_port 1)}"
  stop_node "$i"
  launch "$i"
  await_ready "$i" || { stop_node "$i" >&2; return 1; }
  print_node "$i"
}

DIR_FLAG=""
[ "$DIR" = "$ROOT/local-cluster" ] || DIR_FLAG=" --dir $DIR"
case "$COMMAND" in
  start) cmd_start "${1:-3}" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_restart "${1:-}" ;;
  help) usage ;;
  *) die "unknown command '$COMMAND' (see --help)" ;;
esac
