#!/usr/bin/env bash
# Runs a benchmark's main class from the test sources against the server the tests start
# (TestServer: the built WAR on Payara Micro, a fresh PostgreSQL schema, GreenMail, a Stripe double).
# Usage: bench/run-main.sh <fully qualified class> [arguments...]
# BENCH_JAVA_OPTS: options for the benchmark's JVM, e.g.
#   BENCH_JAVA_OPTS='-Dit.javaOpts=-XX:StartFlightRecording=filename=/tmp/{name}.jfr,settings=profile'
# records the server it starts with Java Flight Recorder ({name} becomes the server's name and port).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package dependency:copy@payara-micro-runtime test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  ${BENCH_JAVA_OPTS:-} -Dbuild.dir="$PWD/target" -Dpayara.microJar="$PWD/target/payara-micro.jar" -Dapp.war="$PWD/target/membership.war" \
  "$@"
