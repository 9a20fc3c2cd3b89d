#!/usr/bin/env bash
# Webhook intake benchmark (README, "Benchmarks"): boots the same server the integration tests use
# (Payara Micro on a fresh PostgreSQL schema) and posts signed events, 30 % duplicates.
# Usage: bench/webhooks.sh [unique events, default 7000] [concurrent senders, default 32]
exec "$(dirname "$0")/run-main.sh" org.newsroom.membership.stripe.WebhookBenchmark "${1:-7000}" "${2:-32}"
