#!/bin/sh
# Starts the membership service on Payara Micro: the container image's entrypoint, the same
# command on a plain VM, and what the README's run command, the integration tests and every
# benchmark use, so what is tested and measured is what ships.
#
# APP_HOME holds jvm.options and pre-boot-commands.asadmin (this
# script's folder by default) and, in the image, payara-micro.jar and membership.war.
# PAYARA_MICRO_JAR and APP_WAR point elsewhere (a build's target/, the benchmark WAR).
# Extra arguments go to Payara Micro.
#
# The data grid (sessions, entitlement snapshots and rate limits shared by every instance):
#   CLUSTER_NAME        only instances started with the same name form a grid (set it in
#                       production; a process that does not know it cannot join)
#   CLUSTER_MODE        how instances find each other: tcpip:host:port[,host:port...] (a fixed
#                       list, e.g. loopback in the tests), kubernetes:<namespace>,<service>,
#                       multicast:group:port, dns:name:port; "none" (the default) runs one
#                       instance alone
#   CLUSTER_INTERFACES  the addresses the grid may bind to, e.g. 127.0.0.1 or 10.0.*.*
#   CLUSTER_PORT        the grid's first port (Payara's default 6900)
#   CLUSTER_MAC_KEY     (read by the application, not here) the key that authenticates cached
#                       session values, identical on every instance: see deploy/README.md
# Everything else is configured by environment variables that MicroProfile Config maps
# (DB_URL -> db.url, STRIPE_SECRET_KEY -> stripe.secret-key, ...).
set -eu
APP_HOME=${APP_HOME:-$(cd "$(dirname "$0")" && pwd)}
# In a checkout (the README's run command), the build's target/ holds the runtime and the WAR.
BUILD_DIR="$APP_HOME/../../target"
if [ -z "${PAYARA_MICRO_JAR:-}" ] && [ ! -f "$APP_HOME/payara-micro.jar" ] && [ -f "$BUILD_DIR/payara-micro.jar" ]; then
  PAYARA_MICRO_JAR="$BUILD_DIR/payara-micro.jar"
fi
if [ -z "${APP_WAR:-}" ] && [ ! -f "$APP_HOME/membership.war" ] && [ -f "$BUILD_DIR/membership.war" ]; then
  APP_WAR="$BUILD_DIR/membership.war"
fi
PAYARA_MICRO_JAR=${PAYARA_MICRO_JAR:-$APP_HOME/payara-micro.jar}
APP_WAR=${APP_WAR:-$APP_HOME/membership.war}
HTTP_PORT=${HTTP_PORT:-8080}
# Payara Micro unpacks itself and writes its domain.xml here; it must be writable.
PAYARA_ROOTDIR=${PAYARA_ROOTDIR:-/tmp/payara-micro}
# Every start begins with an empty runtime directory. One left by an earlier start (a restart on
# the same machine, a container restarted in its pod with /tmp kept) lists the application in its
# domain.xml; Payara then deploys that copy while booting and deploys --deploy's WAR on top of it,
# stopping the first mid-start: its connection pool vanishes under running requests ("No Pool Meta
# Data") and the instance may already have said ready. Only a folder holding Payara's
# config/domain.xml is removed, so a mistyped path never deletes anything else.
if [ -f "$PAYARA_ROOTDIR/config/domain.xml" ]; then
  rm -rf "$PAYARA_ROOTDIR"
fi

# No grid unless one is configured: an instance never joins strangers by accident.
CLUSTER_MODE=${CLUSTER_MODE:-none}
if [ "$CLUSTER_MODE" = "none" ]; then
  set -- --nocluster "$@"
else
  if [ -n "${CLUSTER_NAME:-}" ]; then set -- --clustername "$CLUSTER_NAME" "$@"; fi
  set -- --clustermode "$CLUSTER_MODE" "$@"
  if [ -n "${CLUSTER_INTERFACES:-}" ]; then set -- --interfaces "$CLUSTER_INTERFACES" "$@"; fi
  if [ -n "${CLUSTER_PORT:-}" ]; then set -- --startport "$CLUSTER_PORT" "$@"; fi
fi

# JAVA_OPTS is split on spaces on purpose: extra JVM options appended after jvm.options.
# shellcheck disable=SC2086
exec java "@$APP_HOME/jvm.options" ${JAVA_OPTS:-} -jar "$PAYARA_MICRO_JAR" \
  --deploy "$APP_WAR" \
  --contextroot / \
  --port "$HTTP_PORT" \
  --prebootcommandfile "$APP_HOME/pre-boot-commands.asadmin" \
  --rootdir "$PAYARA_ROOTDIR" \
  "$@"
