#!/usr/bin/env bash
# Storm benchmark (README, "Benchmarks"): StripeStormIT at scale, on a server of its own started as
# the integration tests start theirs (Payara Micro with the production settings on a fresh
# PostgreSQL schema): subscriptions with renewals, failures and final changes, one-off gifts,
# refunds, disputes and payouts, shuffled, 30 % delivered twice, from 32 senders, the database cut
# once and the server killed with SIGKILL once (then restarted on the same schema); every total is
# then checked to the minor unit. Prints deliveries acknowledged per second and events applied per
# second.
# Usage: bench/storm.sh [subscriptions, default 500] [gifts, default 500]  (500/500: ~10,000 deliveries)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B verify -Dit.test=StripeStormIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
  -Dstorm.subscriptions="${1:-500}" -Dstorm.gifts="${2:-500}" | tee target/storm.log | grep -E '^STORM|Tests run|BUILD'
