#!/usr/bin/env bash
# Times GET /api/reports/dashboard for one year over ~1,000,000 money movements in PostgreSQL
# (payments of ~250,000 donors in four currencies over 2030, with refunds and disputes, and 50,000
# recurring contributions), then shows PostgreSQL's plans of the dashboard's heaviest queries
# (EXPLAIN ANALYZE, as the dashboard sends them for Europe/London: hour slices, so the movement sums
# come from the hourly rollup) so the README can say where the time goes.
#
#   mvn -B -DskipTests package dependency:copy@payara-micro-runtime   # once: WAR and runtime
#   bench/dashboard.sh                    # PAYMENTS=900000 PORT=18110 RUNS=5 by default
#
# Needs a local PostgreSQL (database "test", user postgres, trust auth; TEST_PG_* override) and
# curl. It works in a schema of its own and drops it at the end (KEEP_SCHEMA=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."

PAYMENTS=${PAYMENTS:-900000}
PORT=${PORT:-18110}
RUNS=${RUNS:-5}
PGHOST=${TEST_PG_HOST:-127.0.0.1}
PGPORT=${TEST_PG_PORT:-5432}
PGDATABASE=${TEST_PG_DATABASE:-test}
PGUSER=${TEST_PG_USER:-postgres}
export PGHOST PGPORT PGDATABASE PGUSER
SCHEMA=bench_dashboard_$$
OUT=target/bench-dashboard-$$
ADMIN_EMAIL=bench-admin@bench.example
ADMIN_PASSWORD='bench admin passphrase 18110'
BASE=http://localhost:$PORT
mkdir -p "$OUT"

psql -q -c "CREATE SCHEMA $SCHEMA"
SERVER=
cleanup() {
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
  deploy/payara/start.sh > "$OUT/server.log" 2>&1 &
SERVER=$!
echo "server pid $SERVER, log $OUT/server.log"
for _ in $(seq 1 300); do
  curl -fs "$BASE/health/ready" > /dev/null 2>&1 && break
  kill -0 "$SERVER" || { echo "server died"; exit 1; }
  sleep 1
done
curl -fs "$BASE/health/ready" > /dev/null || { echo "server not ready, see $OUT/server.log"; exit 1; }

echo "generating $PAYMENTS payments (plus refunds and disputes) in 2030..."
time psql -q -v ON_ERROR_STOP=1 <<SQL
SET search_path TO $SCHEMA;
INSERT INTO recurring_contribution (id, stripe_subscription_id, amount, currency, frequency,
                                    status, started_at, canceled_at, source_campaign,
                                    created_at, updated_at)
SELECT md5('r' || g)::uuid, 'sub_bench_' || g, 300 + g % 2000,
       (ARRAY['GBP','EUR','USD','JPY'])[1 + g % 4], (ARRAY['MONTHLY','ANNUAL'])[1 + g % 2],
       (ARRAY['ACTIVE','ACTIVE','ACTIVE','PAST_DUE','PAUSED','CANCELED'])[1 + g % 6],
       timestamptz '2029-01-01' + (g * interval '17 minutes'),
       CASE WHEN g % 6 = 5 THEN timestamptz '2029-01-01' + (g * interval '17 minutes')
                                 + interval '200 days' END,
       'campaign-' || (g % 40), now(), now()
FROM generate_series(1, 50000) g;
INSERT INTO payment (id, stripe_charge_id, donor_email, donor_email_normalized, amount, currency,
                     frequency, status, paid_at, source_campaign, source_article_url, covered_fee,
                     recovered, created_at, updated_at)
SELECT md5('p' || g)::uuid, 'ch_bench_' || g, 'donor' || (g % 250000) || '@bench.example',
       'donor' || (g % 250000) || '@bench.example', 500 + g % 5000,
       (ARRAY['GBP','EUR','USD','JPY'])[1 + g % 4], (ARRAY['ONE_OFF','MONTHLY','ANNUAL'])[1 + g % 3],
       'SUCCEEDED', timestamptz '2030-01-01' + (g * interval '35 seconds'),
       CASE WHEN g % 3 = 0 THEN 'campaign-' || (g % 40) END,
       CASE WHEN g % 2 = 0 THEN 'https://news.example/2030/story-' || (g % 5000) END,
       CASE WHEN g % 7 = 0 THEN 30 ELSE 0 END, g % 97 = 0, now(), now()
FROM generate_series(1, $PAYMENTS) g;
INSERT INTO money_movement (id, type, stripe_object_id, payment_id, stripe_charge_id, amount,
                            currency, settlement_amount, fee, net, settlement_currency,
                            balance_transaction_id, occurred_at, created_at)
SELECT md5('m' || g)::uuid, 'PAYMENT', 'ch_bench_' || g, md5('p' || g)::uuid, 'ch_bench_' || g,
       500 + g % 5000, (ARRAY['GBP','EUR','USD','JPY'])[1 + g % 4], 500 + g % 5000,
       20 + (500 + g % 5000) / 50, (500 + g % 5000) - (20 + (500 + g % 5000) / 50),
       (ARRAY['GBP','EUR','USD','JPY'])[1 + g % 4], 'txn_bench_' || g,
       timestamptz '2030-01-01' + (g * interval '35 seconds'), now()
FROM generate_series(1, $PAYMENTS) g;
-- One refund in ten, one dispute in a hundred, a week after the payment.
INSERT INTO money_movement (id, type, stripe_object_id, payment_id, stripe_charge_id, amount,
                            currency, settlement_amount, fee, net, settlement_currency,
                            balance_transaction_id, occurred_at, created_at)
SELECT md5('x' || g)::uuid, CASE WHEN g % 100 = 0 THEN 'DISPUTE' ELSE 'REFUND' END,
       're_bench_' || g, md5('p' || g)::uuid, 'ch_bench_' || g, -(100 + g % 400),
       (ARRAY['GBP','EUR','USD','JPY'])[1 + g % 4], -(100 + g % 400),
       CASE WHEN g % 100 = 0 THEN 1500 ELSE 0 END,
       -(100 + g % 400) - CASE WHEN g % 100 = 0 THEN 1500 ELSE 0 END,
       (ARRAY['GBP','EUR','USD','JPY'])[1 + g % 4], 'txn_bench_x' || g,
       timestamptz '2030-01-08' + (g * interval '35 seconds'), now()
FROM generate_series(10, $PAYMENTS, 10) g;
VACUUM ANALYZE payment; VACUUM ANALYZE money_movement; VACUUM ANALYZE recurring_contribution;
VACUUM ANALYZE payment_fact; VACUUM ANALYZE movement_hour;
SQL
psql -qtA -c "SELECT 'money movements: ' || COUNT(*) FROM $SCHEMA.money_movement"

curl -fs -c "$OUT/cookies" -H 'Content-Type: application/json' -H "Origin: $BASE" \
  -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" "$BASE/api/session" > /dev/null

YEAR="from=2030-01-01&to=2030-12-31&tz=Europe/London"
for run in $(seq 1 "$RUNS"); do
  curl -fs -b "$OUT/cookies" -o "$OUT/dashboard.json" \
    -w "year by month, run $run: %{time_total} s, http %{http_code}\n" \
    "$BASE/api/reports/dashboard?$YEAR&groupBy=month" | tee -a "$OUT/results.txt"
done
curl -fs -b "$OUT/cookies" -o /dev/null -w "year by day: %{time_total} s, http %{http_code}\n" \
  "$BASE/api/reports/dashboard?$YEAR&groupBy=day" | tee -a "$OUT/results.txt"
curl -fs -b "$OUT/cookies" -o /dev/null -w "one month by day: %{time_total} s, http %{http_code}\n" \
  "$BASE/api/reports/dashboard?from=2030-11-01&to=2030-11-30&tz=Europe/London" \
  | tee -a "$OUT/results.txt"

echo "--- plans (EXPLAIN ANALYZE), one year" | tee -a "$OUT/results.txt"
START="timestamptz '2030-01-01T00:00Z'"
FACTS_RANGE="occurred_at >= $START AND occurred_at < '2031-01-01T00:00Z'"
psql -q <<SQL | tee -a "$OUT/results.txt"
SET search_path TO $SCHEMA;
-- Movement sums from the hourly rollup (V75).
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT FLOOR(EXTRACT(EPOCH FROM hour) / 3600) AS slice, type, settlement_currency,
  SUM(movements), SUM(settlement_amount), SUM(fee), SUM(net) FROM movement_hour
WHERE hour >= '2030-01-01T00:00Z' AND hour < '2031-01-01T00:00Z'
GROUP BY 1, 2, 3 HAVING SUM(movements) <> 0;
-- Givers, origins, recovered payments and covered fees from payment_fact (V76), no join.
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT settlement_currency, charge_currency, source_campaign, source_article_url,
  COUNT(*), SUM(settlement_amount), SUM(net), SUM(CASE WHEN recovered THEN 1 ELSE 0 END),
  SUM(CASE WHEN recovered THEN settlement_amount ELSE 0 END),
  SUM(CASE WHEN covered_fee > 0 THEN 1 ELSE 0 END), SUM(covered_fee),
  COUNT(*) FILTER (WHERE one_off AND (campaign_prev_at IS NULL OR campaign_prev_at < $START)),
  COUNT(*) FILTER (WHERE one_off AND (article_prev_at IS NULL OR article_prev_at < $START)),
  COUNT(*) FILTER (WHERE giver_currency_prev_at IS NULL OR giver_currency_prev_at < $START),
  COUNT(*) FILTER (WHERE giver_prev_at IS NULL OR giver_prev_at < $START)
FROM payment_fact WHERE $FACTS_RANGE
GROUP BY settlement_currency, charge_currency, source_campaign, source_article_url;
SQL
echo "results in $OUT/results.txt"
