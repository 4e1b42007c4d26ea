#!/usr/bin/env bash
# Make sure the local services the test suite needs are up (Debian host, no Docker):
#   - PostgreSQL on 127.0.0.1:5432, with the pgvector extension available
#   - NATS with JetStream on 127.0.0.1:4222
#   - Chromium at /usr/bin/chromium (for browser tests)
#
# Idempotent: does nothing for services that are already running / installed.
#
# Environment:
#   SERVICES_TIMEOUT   seconds to wait for each service (default 30)
#   NATS_CONFIG        optional nats-server config file to start NATS with
#                      (default: command-line flags, JetStream store /var/lib/nats-server)
#   CI=true or MASCOT_TEST_PG_TUNING=1
#                      turn fsync, full_page_writes and synchronous_commit off (a throwaway test cluster)
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432
NATS_HOST=127.0.0.1
NATS_PORT=4222
NATS_BIN=/usr/sbin/nats-server
CHROMIUM_BIN=/usr/bin/chromium
TIMEOUT="${SERVICES_TIMEOUT:-30}"
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export DEBIAN_FRONTEND=noninteractive

log() { printf '[ensure-services] %s\n' "$*"; }
die() { printf '[ensure-services] ERROR: %s\n' "$*" >&2; exit 1; }

# wait_for <description> <command...>: retry the command once a second until it succeeds.
wait_for() {
  local what=$1 i
  shift
  for ((i = 0; i < TIMEOUT; i++)); do
    if "$@" >/dev/null 2>&1; then
      log "$what is reachable"
      return 0
    fi
    sleep 1
  done
  die "$what not reachable after ${TIMEOUT}s"
}

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }

# First line the server sends on connect: INFO {...}. Empty when nothing answers.
nats_info() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && IFS= read -r line <&3 && printf "%s\n" "$line"' \
    "$NATS_HOST" "$NATS_PORT" 2>/dev/null
}
nats_ready() { nats_info | grep -q '^INFO '; }

# ---------------------------------------------------------------- PostgreSQL
command -v pg_isready >/dev/null || die "pg_isready not found: PostgreSQL client tools are not installed"
if pg_ready; then
  log "PostgreSQL already accepting connections on $PG_HOST:$PG_PORT"
else
  # Highest installed major version with a 'main' cluster.
  pg_version=$(find /etc/postgresql -mindepth 2 -maxdepth 2 -type d -name main 2>/dev/null \
    | awk -F/ '{ print $4 }' | sort -n | tail -n1)
  [ -n "$pg_version" ] || die "no PostgreSQL cluster found under /etc/postgresql (install postgresql)"
  log "Starting PostgreSQL $pg_version/main"
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start \
    || log "pg_ctlcluster returned non-zero (it may already be starting); waiting anyway"
  wait_for "PostgreSQL ($PG_HOST:$PG_PORT)" pg_ready
fi

# A test cluster, thrown away with the machine: no durability across a power cut. Every test file creates
# and drops a database, and PostgreSQL 15 forces an immediate checkpoint on each DROP DATABASE; with fsync
# each one waited ~1 s for the disk (126 of them, 183 s, in half an hour of test runs on 2026-12-07), and
# the checkpoints serialize every worker's teardown. Without fsync a checkpoint only hands pages to the
# OS. Only under CI (or MASCOT_TEST_PG_TUNING=1): a developer's PostgreSQL may hold data they care about.
if [ "${CI:-}" = true ] || [ "${MASCOT_TEST_PG_TUNING:-}" = 1 ]; then
  log "Tuning PostgreSQL for a throwaway test cluster (fsync, full_page_writes, synchronous_commit off)"
  for setting in "fsync = off" "full_page_writes = off" "synchronous_commit = off"; do
    psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -c "alter system set $setting" >/dev/null
  done
  # All three take effect on reload, without a restart.
  psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -c "select pg_reload_conf()" >/dev/null
fi

# ---------------------------------------------------------------------- NATS
if nats_ready; then
  log "NATS already listening on $NATS_HOST:$NATS_PORT"
else
  [ -x "$NATS_BIN" ] || die "$NATS_BIN is missing: install NATS (apt-get install nats-server) or start a NATS server with JetStream on $NATS_HOST:$NATS_PORT"
  if [ -n "${NATS_CONFIG:-}" ]; then
    log "Starting NATS with config $NATS_CONFIG"
    start-stop-daemon --start --oknodo --background --exec "$NATS_BIN" -- -c "$NATS_CONFIG" -l /var/log/nats-server.log
  else
    log "Starting NATS with JetStream on $NATS_HOST:$NATS_PORT"
    mkdir -p /var/lib/nats-server
    start-stop-daemon --start --oknodo --background --exec "$NATS_BIN" -- \
      -a "$NATS_HOST" -p "$NATS_PORT" -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  fi
  wait_for "NATS ($NATS_HOST:$NATS_PORT)" nats_ready
fi
# The server's INFO line advertises "jetstream":true when JetStream is enabled.
if nats_info | grep -q '"jetstream":true'; then
  log "NATS JetStream is enabled"
else
  die "NATS on $NATS_HOST:$NATS_PORT is running without JetStream; restart it with -js (or 'jetstream' in its config)"
fi

# ------------------------------------------------------------------ pgvector
log "Ensuring the pgvector extension is available"
"$SCRIPT_DIR/install-pgvector.sh"

# ------------------------------------------------------------------ Chromium
if [ -x "$CHROMIUM_BIN" ]; then
  log "Chromium present: $("$CHROMIUM_BIN" --version 2>/dev/null || echo "$CHROMIUM_BIN")"
else
  [ "$(id -u)" = 0 ] || die "$CHROMIUM_BIN is missing and installing it needs root (apt-get install chromium)"
  log "Installing Debian chromium"
  apt-get update -q
  # Skip the desktop recommends (upower, udev, notification-daemon, printing)
  # but keep the ones headless rendering benefits from: fonts and Mesa's
  # software GL drivers (WebGL for the 3D avatar).
  apt-get install -y -q --no-install-recommends chromium fonts-liberation libgl1-mesa-dri
  [ -x "$CHROMIUM_BIN" ] || die "chromium was installed but $CHROMIUM_BIN does not exist"
  log "Chromium installed: $("$CHROMIUM_BIN" --version 2>/dev/null || echo "$CHROMIUM_BIN")"
fi

log "All services ready"
