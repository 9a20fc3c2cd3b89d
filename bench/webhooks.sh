#!/usr/bin/env bash
# Webhook intake benchmark (README, "Benchmarks"): boots the same server the integration tests use
# (Payara Micro on a fresh PostgreSQL schema) and posts signed events, 30 % duplicates.
# Usage: bench/webhooks.sh [unique events, default 7000] [concurrent senders, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package dependency:copy@payara-micro-runtime test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  -Dbuild.dir=target -Dpayara.microJar=target/payara-micro.jar -Dapp.war=target/membership.war \
  org.newsroom.membership.stripe.WebhookBenchmark "${1:-7000}" "${2:-32}"
