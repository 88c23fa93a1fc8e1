#!/usr/bin/env bash
# Starts N KeepCluster nodes on this machine (127.0.0.1), each with its own folder under
# ./local-cluster/nodeI/keepconfig.d, sharing keysets through Hazelcast.
#   deploy/local-cluster.sh [N]       start (default 3); prints each node's ports
#   deploy/local-cluster.sh stop      stop every node started from here
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=node/target/keepcluster-node.jar
BASE=local-cluster

if [ "${1:-}" = "stop" ]; then
  for pid in "$BASE"/*/pid; do [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true; done
  exit 0
fi
N=${1:-3}
[ -f "$JAR" ] || mvn -B -q -DskipTests package
: "${KEEP_CLUSTER_SECRET:=$(head -c 24 /dev/urandom | base64)}"
: "${KEEP_ADMIN_PASSWORD:=$(head -c 12 /dev/urandom | base64)}"
: "${KEEP_MANAGEMENT_PASSWORD:=$(head -c 12 /dev/urandom | base64)}"
# One issuer for every node; nothing listens there unless you put a proxy in front.
: "${KEEP_PUBLIC_URL:=http://localhost:8880}"
export KEEP_CLUSTER_SECRET KEEP_ADMIN_PASSWORD KEEP_MANAGEMENT_PASSWORD KEEP_PUBLIC_URL
members=""
for i in $(seq 1 "$N"); do members="$members${members:+,}127.0.0.1:$((5700 + i))"; done
for i in $(seq 1 "$N"); do
  dir="$BASE/node$i"; mkdir -p "$dir"
  PORT=0 HEALTHCHECKPORT=0 MANAGMENTPORT=0 METRICSPORT=0 BIND=127.0.0.1 \
  KEEP_NODE_ID="node$i" KEEP_CLUSTER_NAME=local KEEP_CLUSTER_INTERFACE=127.0.0.1 \
  KEEP_CLUSTER_PORT=$((5700 + i)) KEEP_CLUSTER_MEMBERS="$members" \
    nohup java -jar "$JAR" --config-dir "$dir/keepconfig.d" > "$dir/out.log" 2> "$dir/node.log" &
  echo $! > "$dir/pid"
done
for i in $(seq 1 "$N"); do
  until grep -q '^ports ' "$BASE/node$i/out.log" 2>/dev/null; do sleep 0.5; done
  echo "node$i: $(grep '^ports ' "$BASE/node$i/out.log")"
done
echo "admin password: $KEEP_ADMIN_PASSWORD   management password: $KEEP_MANAGEMENT_PASSWORD   (stop with: deploy/local-cluster.sh stop)"
