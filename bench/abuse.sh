#!/usr/bin/env bash
# Abuse benchmark (README, "Benchmarks"): the article check and webhook intake measured alone, then
# while 200 clients sign in with wrong passwords, then while 200 clients send random Bearer tokens
# (with readers whose sessions are not cached yet arriving meanwhile). On PostgreSQL, with the
# server the tests start.
# Usage: bench/abuse.sh [seconds per attack phase, default 30]
exec "$(dirname "$0")/run-main.sh" org.newsroom.membership.accounts.AbuseBenchmark "${1:-30}"
