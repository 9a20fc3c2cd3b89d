#!/usr/bin/env bash
# Abuse benchmark (README, "Benchmarks"): the article check and webhook intake measured alone, then
# while 200 clients sign in with wrong passwords, then while 200 clients send random Bearer tokens
# (with readers whose sessions are not cached yet arriving meanwhile). On PostgreSQL, with the
# server the tests start.
# Usage: bench/abuse.sh [seconds per attack phase, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package dependency:copy@payara-micro-runtime test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  -Dbuild.dir=target -Dpayara.microJar=target/payara-micro.jar -Dapp.war=target/membership.war \
  org.newsroom.membership.accounts.AbuseBenchmark "${1:-30}"
