#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into a fresh, empty database, then leaves it to Mascot: start
# the server with DATABASE_URL pointing at it and it applies any newer migrations and serves the restored bots.
#
# Usage: scripts/restore.sh BACKUP_DIR TARGET_DATABASE_URL
# The target database must exist and be empty (createdb mascot_restored). Run as the login Mascot will use
# (it needs CREATE on the database; the first restore on a new cluster also needs CREATEROLE), on the same or a
# newer PostgreSQL with pgvector installed.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: scripts/restore.sh BACKUP_DIR TARGET_DATABASE_URL" >&2
  exit 2
fi
dir="$1"
target="$2"
[ -f "$dir/database.dump" ] || { echo "restore: no database.dump in $dir" >&2; exit 1; }

# Restoring over live data would mix two installations: only an empty database is accepted.
existing="$(psql "$target" -v ON_ERROR_STOP=1 -tAc "select count(*) from pg_tables where schemaname = 'public'")"
if [ "$existing" != "0" ]; then
  echo "restore: the target database already has $existing tables; restore into a new, empty database" >&2
  exit 1
fi

# mascot_app is a cluster-wide role (every connection switches to it, and row-level security applies to it), so
# pg_dump does not carry it: create it on a new cluster and let the restoring login switch to it, as the
# migrations do on a first start.
psql "$target" -v ON_ERROR_STOP=1 -q <<'SQL'
do $$
begin
  create role mascot_app nologin nobypassrls;
exception when duplicate_object then null;
end $$;
grant mascot_app to current_user;
SQL

# One transaction: a failed restore leaves the database empty, not half restored. --no-owner: objects belong to
# the login restoring them (the one Mascot connects as); the grants to mascot_app and the policies come along.
pg_restore --dbname="$target" --no-owner --single-transaction --exit-on-error "$dir/database.dump"

if [ -d "$dir/blobs" ]; then
  echo "restore: $dir/blobs holds the S3 objects; copy them back to the bucket (aws s3 sync $dir/blobs/ s3://BUCKET/PREFIX) before starting Mascot"
fi
echo "restore: done; start Mascot with DATABASE_URL set to the target"
