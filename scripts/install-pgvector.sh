#!/usr/bin/env bash
# Install the pgvector extension into the locally running PostgreSQL server.
#
# Idempotent: exits 0 straight away when `vector` is already available.
#
# Debian bookworm ships no pgvector binary package, so this script builds the
# pgvector *source* package from Debian's trixie suite against the running
# server's headers. Only a `deb-src` entry is added for trixie; no trixie
# binaries are ever installed. The archive URI is taken from the machine's
# existing apt configuration at run time.
#
# Environment:
#   PGHOST (default 127.0.0.1), PGPORT (default 5432), PGUSER (default postgres)
#   PGVECTOR_SOURCE_SUITE (default trixie)
set -euo pipefail

export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-postgres}"
export DEBIAN_FRONTEND=noninteractive
SUITE="${PGVECTOR_SOURCE_SUITE:-trixie}"
SRC_LIST="/etc/apt/sources.list.d/mascot-pgvector-src.sources"

log() { printf '[install-pgvector] %s\n' "$*"; }
die() { printf '[install-pgvector] ERROR: %s\n' "$*" >&2; exit 1; }

psql_q() { PGOPTIONS="-c client_min_messages=warning" psql -X -v ON_ERROR_STOP=1 -d postgres -tAc "$1"; }

command -v psql >/dev/null || die "psql not found (install postgresql-client)"
pg_isready -q -h "$PGHOST" -p "$PGPORT" || die "PostgreSQL is not accepting connections on $PGHOST:$PGPORT"

# Create the extension in a throw-away database, then drop it again.
verify_extension() {
  local db="mascot_pgvector_check_$$"
  psql_q "DROP DATABASE IF EXISTS $db" >/dev/null
  psql_q "CREATE DATABASE $db" >/dev/null
  local rc=0 out
  out=$(psql -X -v ON_ERROR_STOP=1 -d "$db" -tA \
    -c "CREATE EXTENSION IF NOT EXISTS vector" \
    -c "SELECT 'vector ' || extversion FROM pg_extension WHERE extname = 'vector'" \
    -c "SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector" \
    -c "DROP EXTENSION vector" 2>&1) || rc=$?
  psql_q "DROP DATABASE IF EXISTS $db" >/dev/null
  printf '%s\n' "$out"
  return "$rc"
}

if [ "$(psql_q "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")" != "0" ]; then
  log "pgvector already available: $(psql_q "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'")"
  verify_extension >/dev/null || die "vector is listed as available but CREATE EXTENSION fails"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "pgvector is missing and installing it needs root (apt-get, make install)"

num=$(psql_q "SHOW server_version_num")
major=$((num / 10000))
PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config"
log "PostgreSQL server major version: $major (server_version_num $num)"

# --- apt deb-src entry for the source suite, reusing the existing archive URI ---
find_archive_uri() {
  local f uri
  # deb822 .sources files: pick the URIs of the stanza carrying the main (non-security) suite.
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    [ "$f" = "$SRC_LIST" ] && continue
    uri=$(awk '
      BEGIN { RS = ""; FS = "\n" }
      {
        u = ""; s = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/)   { u = $i; sub(/^URIs:[ \t]*/, "", u); split(u, a, /[ \t]+/); u = a[1] }
          if ($i ~ /^Suites:/) { s = $i }
        }
        if (u != "" && s !~ /security/ && u !~ /security/) { print u; exit }
      }' "$f")
    if [ -n "$uri" ]; then printf '%s\n' "$uri"; return 0; fi
  done
  # One-line format.
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri=$(awk '$1 == "deb" || $1 == "deb-src" {
        for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/ && $i ~ /:\/\//) { if ($i !~ /security/) { print $i; exit } break }
      }' "$f")
    if [ -n "$uri" ]; then printf '%s\n' "$uri"; return 0; fi
  done
  return 1
}

uri=$(find_archive_uri) || die "could not determine the Debian archive URI from /etc/apt sources"
log "Using Debian archive URI from existing apt sources: $uri"

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
  echo "# Added by scripts/install-pgvector.sh: source packages only (pgvector is built locally)."
  echo "Types: deb-src"
  echo "URIs: $uri"
  echo "Suites: $SUITE"
  echo "Components: main"
  [ -f "$keyring" ] && echo "Signed-By: $keyring"
} > "$SRC_LIST.tmp"
mv "$SRC_LIST.tmp" "$SRC_LIST"
log "Wrote $SRC_LIST (Types: deb-src, Suites: $SUITE)"

log "apt-get update"
apt-get update -q

# --- build dependencies ---
pkgs=("postgresql-server-dev-$major")
command -v make >/dev/null && command -v gcc >/dev/null || pkgs+=(build-essential)
dpkg-query -W -f='${Status}' dpkg-dev 2>/dev/null | grep -q 'install ok installed' || pkgs+=(dpkg-dev)
log "Installing build dependencies: ${pkgs[*]}"
apt-get install -y -q --no-install-recommends "${pkgs[@]}"
[ -x "$PG_CONFIG" ] || die "$PG_CONFIG not found after installing postgresql-server-dev-$major"

# --- fetch and build ---
workdir=$(mktemp -d /tmp/pgvector-build.XXXXXX)
trap 'rm -rf "$workdir"' EXIT
cd "$workdir"
log "Downloading pgvector source package from $SUITE into $workdir"
# apt verifies the tarballs against the signed Sources index. dpkg-source only
# warns (does not fail) when the uploader's .dsc signature cannot be checked.
apt-get source -q --only-source pgvector || die "apt-get source pgvector failed"
srcdir=$(find . -maxdepth 1 -mindepth 1 -type d -name 'pgvector-*' | head -n1)
[ -n "$srcdir" ] || die "pgvector source directory not found after apt-get source"
log "Building $srcdir with PG_CONFIG=$PG_CONFIG"
start=$(date +%s)
make -C "$srcdir" -j"$(nproc)" PG_CONFIG="$PG_CONFIG"
make -C "$srcdir" install PG_CONFIG="$PG_CONFIG"
log "Build and install took $(( $(date +%s) - start ))s"

# --- verify ---
log "Verifying CREATE EXTENSION vector in a scratch database"
verify_extension || die "CREATE EXTENSION vector failed after install"
log "pgvector installed: $(psql_q "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'")"
