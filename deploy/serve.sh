#!/usr/bin/env bash
# `make serve`: the production stack on this machine. Migrates, collects
# static files, starts TASK_WORKERS django-tasks workers and gunicorn, and
# stops the workers when gunicorn stops (Ctrl-C stops everything).
#
#   DATABASE_URL=postgres://… REDIS_URL=redis://127.0.0.1:6379/0 SECRET_KEY=… \
#   ALLOWED_HOSTS=bewigan.example TASK_WORKERS=2 WEB_CONCURRENCY=4 make serve
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-bewigan.settings.base}"
: "${DATABASE_URL:?Set DATABASE_URL=postgres://user@host:5432/dbname (production needs PostgreSQL)}"
TASK_WORKERS="${TASK_WORKERS:-1}"

"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py createcachetable
"$BIN/python" manage.py collectstatic --noinput --verbosity 0

pids=()
stop() {
  trap - EXIT INT TERM
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait || true
}
trap stop EXIT INT TERM

for i in $(seq 1 "$TASK_WORKERS"); do
  "$BIN/python" manage.py db_worker --queue-name "${TASK_QUEUES:-*}" --no-reload \
    --worker-id "$(hostname)-$$-$i" &
  pids+=($!)
done
"$BIN/gunicorn" -c deploy/gunicorn.conf.py &
pids+=($!)
# Whichever stops first (gunicorn or a worker) stops the stack.
wait -n
