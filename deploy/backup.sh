#!/usr/bin/env bash
# Back up BeWigan: the database (pg_dump custom format) and, when media are
# on local disk, the media folder. Run it from cron or a systemd timer and
# copy BACKUP_DIR off the machine.
#   DATABASE_URL=postgres://… MEDIA_ROOT=/var/lib/bewigan/media BACKUP_DIR=/var/backups/bewigan deploy/backup.sh
set -euo pipefail
: "${DATABASE_URL:?Set DATABASE_URL}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/bewigan}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BACKUP_DIR"
# --format=custom is compressed and lets pg_restore restore in parallel.
pg_dump --format=custom --no-owner --no-privileges --file "$BACKUP_DIR/bewigan-$stamp.dump" "$DATABASE_URL"
if [[ -n "${MEDIA_ROOT:-}" && -d "$MEDIA_ROOT" ]]; then
  tar -C "$MEDIA_ROOT" -czf "$BACKUP_DIR/bewigan-media-$stamp.tar.gz" .
fi
echo "$BACKUP_DIR/bewigan-$stamp.dump"
