#!/usr/bin/env bash
# Cold start of the article-page check (README, "Benchmarks"): a deploy, then every signed-in
# reader at once. One Payara Micro started by deploy/payara/start.sh (jvm.options, the deploy/payara
# settings) with the data grid on, on PostgreSQL. $MEMBERS (10,000) members with one session each
# are seeded in the database; then, $STARTS times (3), the instance is started afresh (empty caches,
# cold JIT) and the moment it is ready $CLIENTS (16) concurrent clients ask GET /api/entitlements
# once for every reader. Every answer must be 200 with "signedIn":true and no "degraded".
# Usage: [MEMBERS=10000] [CLIENTS=16] [STARTS=3] bench/coldstart.sh
# Server logs and a thread dump taken during each burst are kept in target/bench-coldstart/.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-18091}
MEMBERS=${MEMBERS:-10000}
CLIENTS=${CLIENTS:-16}
STARTS=${STARTS:-3}
GRID_PORT=${BENCH_GRID_PORT:-18710}
PG="psql -h 127.0.0.1 -U postgres -d test -q -v ON_ERROR_STOP=1"
work=$(mktemp -d)
schema="cold_$(date +%s)"
evidence=target/bench-coldstart
mkdir -p "$evidence"

mvn -B -q -DskipTests package
mvn -B -q dependency:copy@payara-micro-runtime
$PG -c "CREATE SCHEMA $schema"

server=""
start_server() { # log file
  DB_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema" DB_USER=postgres DB_PASSWORD=postgres \
  DATA_DIR="$work/data" PUBLIC_BASE_URL="http://localhost:$PORT" HTTP_PORT="$PORT" \
  PAYARA_MICRO_JAR=target/payara-micro.jar APP_WAR=target/membership.war PAYARA_ROOTDIR="$work/payara" \
  CLUSTER_NAME="cold-$schema" CLUSTER_MODE="tcpip:127.0.0.1:$GRID_PORT" CLUSTER_INTERFACES=127.0.0.1 \
  CLUSTER_PORT="$GRID_PORT" CLUSTER_MAC_KEY="the benchmark grid's MAC key, 32 characters or more" \
    deploy/payara/start.sh > "$1" 2>&1 &
  server=$!
  until curl -sf --max-time 10 "http://localhost:$PORT/health/ready" >/dev/null; do
    kill -0 $server 2>/dev/null || { tail -n 50 "$1"; exit 1; }
    sleep 0.2
  done
}
stop_server() {
  kill $server 2>/dev/null || true
  wait $server 2>/dev/null || true
  server=""
}
trap 'set +e; [ -n "$server" ] && stop_server; $PG -c "DROP SCHEMA $schema CASCADE"; rm -rf "$work"' EXIT

# The first start creates the tables; the members and sessions are then seeded as a previous
# deployment would have left them (Argon2id registration would take minutes).
start_server "$evidence/server-migrate.log"
stop_server
python3 - "$work" "$MEMBERS" <<'PY'
import hashlib, secrets, sys, uuid, base64
work, n = sys.argv[1], int(sys.argv[2])
with open(f"{work}/members.csv", "w") as m, open(f"{work}/sessions.csv", "w") as s, open(f"{work}/tokens.txt", "w") as t:
    for i in range(n):
        member = uuid.uuid4()
        token = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
        m.write(f"{member},reader{i}@bench.example,reader{i}@bench.example,Reader {i}\n")
        s.write(f"{hashlib.sha256(token.encode()).hexdigest()},{member}\n")
        t.write(token + "\n")
PY
$PG <<SQL
SET search_path TO $schema;
CREATE TEMP TABLE m (id UUID, email TEXT, email_normalized TEXT, display_name TEXT);
CREATE TEMP TABLE s (token_hash TEXT, member_id UUID);
\copy m FROM '$work/members.csv' WITH CSV
\copy s FROM '$work/sessions.csv' WITH CSV
INSERT INTO member (id, email, email_normalized, display_name, marketing_consent, roles, created_at, updated_at)
  SELECT id, email, email_normalized, display_name, FALSE, 'READER', now(), now() FROM m;
INSERT INTO member_session (token_hash, member_id, created_at, last_seen_at, absolute_expires_at)
  SELECT token_hash, member_id, now(), now(), now() + interval '365 days' FROM s;
SQL

echo "load: $(uptime)"
echo "| start | ready after s | burst s | answers/s | p50 ms | p99 ms | max ms | signed in | degraded | other |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for n in $(seq 1 "$STARTS"); do
  began=$(date +%s.%N)
  start_server "$evidence/server-$n.log"
  ready=$(echo "$(date +%s.%N) - $began" | bc)
  java_pid=$(pgrep -P $server java || echo $server)
  ( sleep 1; jstack "$java_pid" > "$evidence/burst-$n.txt" 2>/dev/null || true ) &
  dumper=$!
  row=$(python3 - "$work" "$PORT" "$CLIENTS" <<'PY'
import sys, time, http.client, concurrent.futures
work, port, clients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tokens = open(f"{work}/tokens.txt").read().split()
def burst(chunk):
    c = http.client.HTTPConnection("localhost", port, timeout=30)
    out = []
    for t in chunk:
        t0 = time.perf_counter()
        c.request("GET", "/api/entitlements", headers={"Cookie": "session=" + t})
        r = c.getresponse()
        body = r.read()
        ms = (time.perf_counter() - t0) * 1000
        if r.status == 200 and b'"degraded":true' in body:
            kind = "degraded"
        elif r.status == 200 and b'"signedIn":true' in body:
            kind = "signed"
        else:
            kind = f"other {r.status} {body[:80]!r}"
        out.append((ms, kind))
    return out
t0 = time.perf_counter()
with concurrent.futures.ThreadPoolExecutor(clients) as pool:
    results = [x for part in pool.map(burst, [tokens[i::clients] for i in range(clients)]) for x in part]
took = time.perf_counter() - t0
lat = sorted(ms for ms, _ in results)
kinds = [k for _, k in results]
others = [k for k in kinds if k not in ("signed", "degraded")]
pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))]
print(f"{took:.1f} | {len(results) / took:.0f} | {pct(0.5):.1f} | {pct(0.99):.1f} | {lat[-1]:.1f} | "
      f"{kinds.count('signed')} | {kinds.count('degraded')} | {len(others)} {others[:3] if others else ''}")
PY
)
  wait $dumper
  echo "| $n | $ready | $row |"
  stop_server
done
echo "exceptions in the server logs: $(cat "$evidence"/server-[0-9]*.log | grep -c 'Exception' || true)"
