#!/usr/bin/env bash
# Times the transactions export of 1,000,000 money movements through HTTP (CSV and XLSX) on a
# Payara Micro limited to -Xmx256m, beside psql's \copy of the same rows as the floor, and records
# the server's peak heap (jstat samples every 200 ms; used = S0U+S1U+EU+OU).
#
#   mvn -B -DskipTests package dependency:copy@payara-micro-runtime   # once: WAR and runtime
#   bench/reports.sh                      # ROWS=1000000 PORT=18100 by default
#
# Needs a local PostgreSQL (database "test", user postgres, trust auth; TEST_PG_* override), curl,
# jstat. It works in a schema of its own and drops it at the end (KEEP_SCHEMA=1 keeps it).
#
# Seen on the shared 2-core build machine (2026-11-28, PostgreSQL 15, 1,000,000 movements):
#   csv  28.7 s, 169,850,560 bytes;  xlsx 89.7 s, 106,845,962 bytes;  psql \copy 14.0 s
#   heap after each young GC during the XLSX export stayed at 98-102 MiB of the 256 MiB (-Xlog:gc);
#   jstat's peak "used" (garbage included) was 225 MiB. No OutOfMemoryError.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-1000000}
PORT=${PORT:-18100}
PGHOST=${TEST_PG_HOST:-127.0.0.1}
PGPORT=${TEST_PG_PORT:-5432}
PGDATABASE=${TEST_PG_DATABASE:-test}
PGUSER=${TEST_PG_USER:-postgres}
export PGHOST PGPORT PGDATABASE PGUSER
SCHEMA=bench_reports_$$
OUT=target/bench-$$
ADMIN_EMAIL=bench-admin@bench.example
ADMIN_PASSWORD='bench admin passphrase 18100'
BASE=http://localhost:$PORT
mkdir -p "$OUT"

psql -q -c "CREATE SCHEMA $SCHEMA"
SERVER=
SAMPLER=
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  [ -z "${KEEP_SCHEMA:-}" ] && psql -q -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" || true
}
trap cleanup EXIT

DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE?currentSchema=$SCHEMA" \
DB_USER=$PGUSER DB_PASSWORD=${TEST_PG_PASSWORD:-postgres} \
ADMIN_EMAIL=$ADMIN_EMAIL ADMIN_PASSWORD=$ADMIN_PASSWORD \
PUBLIC_BASE_URL=$BASE CORS_ALLOWED_ORIGINS=$BASE DATA_DIR=$OUT/data \
HTTP_PORT="$PORT" PAYARA_ROOTDIR="$OUT/payara" \
PAYARA_MICRO_JAR=target/payara-micro.jar APP_WAR=target/membership.war \
JAVA_OPTS="-Xmx256m -Xlog:gc:file=$OUT/gc.log" \
  deploy/payara/start.sh > "$OUT/server.log" 2>&1 &
SERVER=$!
echo "server pid $SERVER, log $OUT/server.log"
for _ in $(seq 1 240); do
  curl -fs "$BASE/health/ready" > /dev/null 2>&1 && break
  kill -0 "$SERVER" || { echo "server died"; exit 1; }
  sleep 1
done

echo "generating $ROWS payments and money movements in 2030..."
time psql -q -v ON_ERROR_STOP=1 <<SQL
SET search_path TO $SCHEMA;
INSERT INTO payment (id, stripe_charge_id, donor_email, amount, currency, frequency, status,
                     paid_at, created_at, updated_at)
SELECT md5('p' || g)::uuid, 'ch_bench_' || g, 'donor' || g || '@bench.example',
       500 + g % 5000, (ARRAY['GBP','EUR','USD','JPY'])[1 + g % 4],
       (ARRAY['ONE_OFF','MONTHLY','ANNUAL'])[1 + g % 3], 'SUCCEEDED',
       timestamptz '2030-01-01' + (g * interval '31 seconds'), now(), now()
FROM generate_series(1, $ROWS) g;
INSERT INTO money_movement (id, type, stripe_object_id, payment_id, stripe_charge_id, amount,
                            currency, settlement_amount, fee, net, settlement_currency,
                            balance_transaction_id, occurred_at, created_at)
SELECT md5('m' || g)::uuid, 'PAYMENT', 'ch_bench_' || g, md5('p' || g)::uuid, 'ch_bench_' || g,
       500 + g % 5000, (ARRAY['GBP','EUR','USD','JPY'])[1 + g % 4], 500 + g % 5000,
       20 + (500 + g % 5000) / 50, (500 + g % 5000) - (20 + (500 + g % 5000) / 50),
       (ARRAY['GBP','EUR','USD','JPY'])[1 + g % 4], 'txn_bench_' || g,
       timestamptz '2030-01-01' + (g * interval '31 seconds'), now()
FROM generate_series(1, $ROWS) g;
ANALYZE payment; ANALYZE money_movement;
SQL

curl -fs -c "$OUT/cookies" -H 'Content-Type: application/json' -H "Origin: $BASE" \
  -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" "$BASE/api/session" > /dev/null

jstat -gc "$SERVER" 200 > "$OUT/jstat.txt" &
SAMPLER=$!
RANGE="from=2030-01-01&to=2031-01-15&tz=UTC"
for format in csv xlsx; do
  curl -fs -b "$OUT/cookies" -o /dev/null \
    -w "$format: %{time_total} s, %{size_download} bytes, http %{http_code}\n" \
    "$BASE/api/reports/transactions?$RANGE&format=$format" | tee -a "$OUT/results.txt"
done
kill "$SAMPLER"; SAMPLER=

# The floor: the same rows, same join, straight out of PostgreSQL.
start=$(date +%s.%N)
psql -q -c "\copy (SELECT mm.occurred_at, mm.type, mm.payment_id, p.member_id, p.donor_email, m.erased_at, p.frequency, mm.settlement_currency, mm.settlement_amount, mm.fee, mm.net, mm.currency, mm.amount, mm.stripe_charge_id, mm.stripe_invoice_id, mm.stripe_payout_id, mm.balance_transaction_id FROM $SCHEMA.money_movement mm JOIN $SCHEMA.payment p ON p.id = mm.payment_id LEFT JOIN $SCHEMA.member m ON m.id = p.member_id WHERE mm.occurred_at >= '2030-01-01T00:00Z' AND mm.occurred_at < '2031-01-16T00:00Z' ORDER BY mm.occurred_at, mm.id) TO '/dev/null' WITH CSV"
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "psql \\copy: %.2f s\n", e - s }' | tee -a "$OUT/results.txt"

awk 'NR > 1 && $1 ~ /^[0-9.]+$/ { used = $3 + $4 + $6 + $8; if (used > max) max = used }
     END { printf "peak heap used during the exports: %.1f MiB (jstat, -Xmx256m)\n", max / 1024 }' \
  "$OUT/jstat.txt" | tee -a "$OUT/results.txt"
jcmd "$SERVER" GC.heap_info | tee -a "$OUT/results.txt"
echo "results in $OUT/results.txt"
