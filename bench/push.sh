#!/usr/bin/env bash
# Web Push fan-out benchmark (README, "Benchmarks"): one alert to N subscriptions on a local push
# service, against a server started with the production settings on a fresh PostgreSQL schema.
# Usage: bench/push.sh [subscriptions, default 100000]
exec "$(dirname "$0")/run-main.sh" org.newsroom.membership.notifications.FanOutBenchmark "${1:-100000}"
