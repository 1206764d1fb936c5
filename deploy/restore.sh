#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an EMPTY database.
#   deploy/restore.sh /var/backups/bewigan/bewigan-….dump postgres://…/bewigan_restored [media.tar.gz MEDIA_ROOT]
set -euo pipefail
dump="${1:?dump file}"
target="${2:?target DATABASE_URL (an empty database)}"
pg_restore --no-owner --no-privileges --exit-on-error --jobs "${RESTORE_JOBS:-2}" --dbname "$target" "$dump"
if [[ $# -ge 4 ]]; then
  mkdir -p "$4"
  tar -C "$4" -xzf "$3"
fi
