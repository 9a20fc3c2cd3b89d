#!/bin/sh
# Starts the membership service on Payara Micro: the container image's entrypoint, and the same
# command on a plain VM. APP_HOME holds payara-micro.jar, membership.war, jvm.options,
# pre-boot-commands.asadmin and post-boot-commands.asadmin (this script's folder by default). Extra arguments go to Payara
# Micro, e.g. --clustermode kubernetes:<namespace>,<service> or --nocluster.
# Everything else is configured by environment variables that MicroProfile Config maps
# (DB_URL -> db.url, STRIPE_SECRET_KEY -> stripe.secret-key, ...).
set -eu
APP_HOME=${APP_HOME:-$(cd "$(dirname "$0")" && pwd)}
HTTP_PORT=${HTTP_PORT:-8080}
# Payara Micro unpacks itself and writes its domain.xml here; it must be writable.
PAYARA_ROOTDIR=${PAYARA_ROOTDIR:-/tmp/payara-micro}
# JAVA_OPTS is split on spaces on purpose: extra JVM options appended after jvm.options.
# shellcheck disable=SC2086
exec java "@$APP_HOME/jvm.options" ${JAVA_OPTS:-} -jar "$APP_HOME/payara-micro.jar" \
  --deploy "$APP_HOME/membership.war" \
  --contextroot / \
  --port "$HTTP_PORT" \
  --prebootcommandfile "$APP_HOME/pre-boot-commands.asadmin" \
  --postbootcommandfile "$APP_HOME/post-boot-commands.asadmin" \
  --rootdir "$PAYARA_ROOTDIR" \
  "$@"
