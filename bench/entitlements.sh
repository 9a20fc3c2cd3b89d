#!/usr/bin/env bash
# Benchmark of the article-page check (README, "Benchmarks"). One Payara Micro with the
# benchmark build (no-op endpoints added) on PostgreSQL, started by deploy/payara/start.sh with
# jvm.options and the data grid on (a grid of its own on loopback), as production runs it;
# wrk with 64 connections against:
#   (1) a no-op JAX-RS GET, (1b) the same as a servlet, (2) anonymous entitlement check,
#   (3) signed-in check, warm cache, $MEMBERS (10,000) distinct members, (4) signed-in with a matching ETag (304).
# Usage: [MEMBERS=100000] bench/entitlements.sh [seconds per run, default 15]
# Thread dumps taken during (3) are summarised on stderr and kept in target/bench-entitlements/.
# PROFILE=1 also records Java Flight Recorder samples of the server during (1b), (2) and (3) and
# prints, for each, the methods the request threads spent their samples in (self and inclusive).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
PORT=${BENCH_PORT:-18090}
MEMBERS=${MEMBERS:-10000}
GRID_PORT=${BENCH_GRID_PORT:-18700}
PG="psql -h 127.0.0.1 -U postgres -d test -q -v ON_ERROR_STOP=1"
command -v wrk >/dev/null || apt-get install -y -q wrk
work=$(mktemp -d)
schema="bench_$(date +%s)"

mvn -B -q -Pbenchmark -DskipTests package
mvn -B -q dependency:copy@payara-micro-runtime
$PG -c "CREATE SCHEMA $schema"

DB_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema" DB_USER=postgres DB_PASSWORD=postgres \
DATA_DIR="$work/data" PUBLIC_BASE_URL="http://localhost:$PORT" HTTP_PORT="$PORT" \
PAYARA_MICRO_JAR=target/payara-micro.jar APP_WAR=target/bench/membership-bench.war PAYARA_ROOTDIR="$work/payara" \
CLUSTER_NAME="bench-$schema" CLUSTER_MODE="tcpip:127.0.0.1:$GRID_PORT" CLUSTER_INTERFACES=127.0.0.1 CLUSTER_PORT="$GRID_PORT" \
CLUSTER_MAC_KEY="the benchmark grid's MAC key, 32 characters or more" \
  deploy/payara/start.sh > "$work/server.log" 2>&1 &
server=$!
trap 'set +e; kill $server 2>/dev/null; wait $server 2>/dev/null; $PG -c "DROP SCHEMA $schema CASCADE"; rm -rf "$work"' EXIT
until curl -sf --max-time 10 "http://localhost:$PORT/health/ready" >/dev/null; do
  kill -0 $server 2>/dev/null || { tail -n 50 "$work/server.log"; exit 1; }
  sleep 1
done

# $MEMBERS members with one session each, seeded directly (Argon2id registration would take minutes).
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

# Warm both caches for every member and keep each answer's ETag.
python3 - "$work" "$PORT" <<'PY'
import sys, http.client, concurrent.futures
work, port = sys.argv[1], int(sys.argv[2])
tokens = open(f"{work}/tokens.txt").read().split()
def warm(chunk):
    c = http.client.HTTPConnection("localhost", port)
    out = []
    for t in chunk:
        c.request("GET", "/api/entitlements", headers={"Cookie": "session=" + t})
        r = c.getresponse()
        body = r.read()
        # Every warmed reader must really be signed in, or the runs below measure anonymous answers.
        assert r.status == 200 and b'"signedIn":true' in body, (r.status, body)
        out.append(f"{t} {r.getheader('ETag')}")
    return out
chunks = [tokens[i::8] for i in range(8)]
with concurrent.futures.ThreadPoolExecutor(8) as pool, open(f"{work}/etags.txt", "w") as f:
    for lines in pool.map(warm, chunks):
        f.write("\n".join(lines) + "\n")
PY

cat > "$work/percentiles.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("PERCENTILES %.2f %.2f %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
end
LUA
cat "$work/percentiles.lua" > "$work/members.lua"
cat >> "$work/members.lua" <<'LUA'
-- Requests are formatted once per thread: a Lua call per request would make wrk, not the
-- server, the bottleneck.
local requests = {}
local i = 0
init = function(args)
  local revalidate = os.getenv("REVALIDATE") == "1"
  for line in io.lines(os.getenv("ETAGS")) do
    local token, etag = line:match("(%S+) (.+)")
    if token then
      local headers = {["Cookie"] = "session=" .. token}
      if revalidate then headers["If-None-Match"] = etag end
      requests[#requests + 1] = wrk.format("GET", "/api/entitlements", headers)
    end
  end
  i = math.random(#requests)
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
LUA

# SQL statements prepared on request threads so far (the app's own counter, see SqlStatementCounter).
sql_on_requests() {
  # No early exit in awk: curl would die of SIGPIPE and set -e end the script.
  curl -s "http://localhost:$PORT/metrics" | awk '/^sql_statements[^ ]*thread="request"/ {n = $2} END {print n + 0}'
}

# Thread dumps while a run is under way: where the request threads are (evidence for the README).
evidence=target/bench-entitlements
mkdir -p "$evidence"
dumps() { # name
  local java_pid
  java_pid=$(pgrep -P $server java || echo $server)
  sleep $((DURATION / 2))
  for n in 1 2 3; do
    jstack "$java_pid" > "$evidence/$1-$n.txt" 2>/dev/null || true
    sleep 1
  done
  {
    echo "$1: request threads in 3 dumps by top application frame:"
    cat "$evidence/$1"-*.txt | awk '/^"http-thread-pool/ {t=1; next} t && /at (org\.newsroom|com\.hazelcast\.cache\.impl\.CacheProxy\.get|org\.eclipse\.persistence|org\.postgresql)/ {print $2; t=0} /^$/ {t=0}' \
      | sort | uniq -c | sort -rn | head -n 8
  } >&2
}

# Where the request threads' CPU samples fell: top 15 methods by self and by inclusive samples.
profile_summary() { # recording.jfr
  jfr print --events jdk.ExecutionSample --stack-depth 96 "$1" | python3 -c '
import sys, re, collections
self_, incl, n = collections.Counter(), collections.Counter(), 0
sample, frames = None, []
for line in sys.stdin:
    line = line.strip()
    if line.startswith("sampledThread"):
        sample = "http-thread-pool" in line
    elif line.startswith("stackTrace = ["):
        frames = []
    elif line == "]" and sample is not None:
        if sample and frames:
            n += 1
            self_[frames[0]] += 1
            for f in set(frames):
                incl[f] += 1
        sample = None
    elif sample and re.match(r"^[\w$.<>]+\(", line):
        frames.append(line.split("(")[0])
print(f"{sys.argv[1]}: {n} request-thread samples")
print("  self:")
for f, c in self_.most_common(15):
    print(f"    {100 * c / n:5.1f}% {f}")
print("  inclusive:")
for f, c in incl.most_common(40):
    if not f.startswith(("java.lang.Thread.run", "org.glassfish.grizzly", "com.sun.grizzly")):
        print(f"    {100 * c / n:5.1f}% {f}")
' "$1"
}

run() { # name path script [env...] [-- extra wrk arguments]
  local name=$1 path=$2 script=$3; shift 3
  local envs=() extra=()
  while (($#)); do
    if [ "$1" = "--" ]; then shift; extra=("$@"); break; fi
    envs+=("$1"); shift
  done
  local sql_before dumper="" recording=""
  sql_before=$(sql_on_requests)
  if [ -n "${PROFILE:-}" ] && [ -n "${PROFILE_AS:-}" ]; then
    recording="$evidence/$PROFILE_AS.jfr"
    jcmd "$(pgrep -P $server java || echo $server)" JFR.start name="$PROFILE_AS" settings=profile > /dev/null
  fi
  if [ -n "${DUMPS:-}" ]; then
    dumps "$DUMPS" &
    dumper=$!
  fi
  env "${envs[@]}" wrk -t2 -c64 -d"${DURATION}s" -s "$script" "${extra[@]}" "http://localhost:$PORT$path" > "$work/run.txt"
  local rps non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/run.txt")
  non2xx=$(awk '/Non-2xx/ {print $4}' "$work/run.txt")
  read -r _ p50 p99 p999 < <(grep PERCENTILES "$work/run.txt")
  if [ -n "$dumper" ]; then wait "$dumper"; fi
  if [ -n "$recording" ]; then
    jcmd "$(pgrep -P $server java || echo $server)" JFR.stop name="$PROFILE_AS" filename="$PWD/$recording" > /dev/null
    profile_summary "$recording" >&2
  fi
  local sql=$(($(sql_on_requests) - sql_before))
  printf "| %s | %s | %s | %s | %s | %s | %s |\n" "$name" "$rps" "$p50" "$p99" "$p999" "${non2xx:-0}" "$sql"
}

echo "warm-up ${DURATION}s per scenario..."
for path in /api/bench/noop /bench/noop-servlet /api/entitlements; do
  wrk -t2 -c64 -d"${DURATION}s" "http://localhost:$PORT$path" > /dev/null
done
ETAGS="$work/etags.txt" wrk -t2 -c64 -d"${DURATION}s" -s "$work/members.lua" "http://localhost:$PORT/" > /dev/null

echo "| scenario (wrk -t2 -c64 -d${DURATION}s) | req/s | p50 ms | p99 ms | p99.9 ms | non-2xx/3xx | SQL on request threads |"
echo "|---|---|---|---|---|---|---|"
# ROUNDS=n repeats the measured scenarios on the same warm instance (the machine is shared, so
# compare ratios within one round).
for round in $(seq 1 "${ROUNDS:-1}"); do
  echo "| round $round, load: $(cut -d' ' -f1-3 /proc/loadavg) | | | | | | |"
  run "(1) no-op JAX-RS GET" /api/bench/noop "$work/percentiles.lua"
  PROFILE_AS=noop-servlet run "(1b) no-op servlet" /bench/noop-servlet "$work/percentiles.lua"
  PROFILE_AS=anonymous run "(2) anonymous entitlement check" /api/entitlements "$work/percentiles.lua"
  PROFILE_AS=signed-in DUMPS=signed-in run "(3) signed-in, $MEMBERS members, warm" /api/entitlements "$work/members.lua" ETAGS="$work/etags.txt"
  first_token=$(head -n 1 "$work/tokens.txt")
  run "(3b) signed-in, one member, no Lua request()" /api/entitlements "$work/percentiles.lua" -- \
    -H "Cookie: session=$first_token"
  run "(4) signed-in, If-None-Match: 304" /api/entitlements "$work/members.lua" ETAGS="$work/etags.txt" REVALIDATE=1
done
echo "load after: $(uptime)"
