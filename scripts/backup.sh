#!/usr/bin/env bash
# Backs up a Mascot installation into one folder (deploy/README.md, "Backup and restore"):
#   database.dump  pg_dump's custom format (compressed; restore picks objects from it): every tenant's rows,
#                  row-level security policies, grants, functions, and the blobs of the default PostgreSQL
#                  blob store (avatars, knowledge uploads)
#   blobs/         with MASCOT_STORAGE=s3 only: the bucket's objects under MASCOT_S3_PREFIX (needs the aws CLI)
#   manifest.txt   when, from which database and migration, with which pg_dump
# pg_dump reads one consistent snapshot, so Mascot keeps serving while it runs. S3 objects are immutable and
# named by their content, so copying them after the dump misses nothing the dump refers to.
#
# Usage: DATABASE_URL=postgres://… scripts/backup.sh [OUTPUT_DIR]   (default ./mascot-backup-<UTC time>)
# The same environment the server runs with works (DATABASE_URL, MASCOT_STORAGE, MASCOT_S3_*).
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
out="${1:-./mascot-backup-$(date -u +%Y%m%dT%H%M%SZ)}"
if [ -e "$out/database.dump" ]; then
  echo "backup: $out already holds a backup; choose a new folder" >&2
  exit 1
fi
mkdir -p "$out"

# No --no-owner/--no-acl here: restore.sh decides about owners; the grants to mascot_app must come along.
pg_dump --format=custom --compress=6 --file="$out/database.dump" --dbname="$DATABASE_URL"

if [ "${MASCOT_STORAGE:-postgres}" = "s3" ]; then
  : "${MASCOT_S3_BUCKET:?MASCOT_STORAGE=s3 needs MASCOT_S3_BUCKET}"
  command -v aws >/dev/null || { echo "backup: MASCOT_STORAGE=s3 needs the aws CLI (or copy the bucket with your own tooling)" >&2; exit 1; }
  AWS_ACCESS_KEY_ID="${MASCOT_S3_ACCESS_KEY_ID:-${AWS_ACCESS_KEY_ID:-}}" AWS_SECRET_ACCESS_KEY="${MASCOT_S3_SECRET_ACCESS_KEY:-${AWS_SECRET_ACCESS_KEY:-}}" \
    aws s3 sync --only-show-errors --region "${MASCOT_S3_REGION:-us-east-1}" ${MASCOT_S3_ENDPOINT:+--endpoint-url "$MASCOT_S3_ENDPOINT"} \
    "s3://$MASCOT_S3_BUCKET/${MASCOT_S3_PREFIX:-}" "$out/blobs/"
fi

migration="$(psql "$DATABASE_URL" -tAc "select name from mikro_orm_migrations order by id desc limit 1" 2>/dev/null || echo unknown)"
{
  echo "created_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "latest_migration=$migration"
  echo "storage=${MASCOT_STORAGE:-postgres}"
  echo "pg_dump=$(pg_dump --version)"
} > "$out/manifest.txt"
echo "backup: wrote $out (database.dump$([ -d "$out/blobs" ] && echo ', blobs/'), manifest.txt)"
