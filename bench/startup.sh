#!/usr/bin/env bash
# Start-up time (process start to the first 200 from /health/ready) and idle resident memory,
# on the embedded H2 default with a fresh data folder, started by deploy/payara/start.sh as shipped. Usage: bench/startup.sh [runs, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
PORT=${BENCH_PORT:-18091}
[ -f target/membership.war ] || mvn -B -q -DskipTests package
[ -f target/payara-micro.jar ] || mvn -B -q dependency:copy@payara-micro-runtime
for run in $(seq 1 "$RUNS"); do
  work=$(mktemp -d)
  start=$(date +%s.%N)
  DATA_DIR="$work/data" HTTP_PORT="$PORT" PAYARA_ROOTDIR="$work/root" \
    PAYARA_MICRO_JAR=target/payara-micro.jar APP_WAR=target/membership.war \
    deploy/payara/start.sh > "$work/log" 2>&1 &
  pid=$!
  until curl -sf "http://localhost:$PORT/health/ready" >/dev/null; do sleep 0.2; done
  ready=$(date +%s.%N)
  sleep 30
  rss=$(ps -o rss= -p "$pid")
  printf "run %d: ready after %.1f s, idle RSS after 30 s %d MB\n" "$run" "$(echo "$ready - $start" | bc)" $((rss / 1024))
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$work"
done
