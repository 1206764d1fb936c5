#!/usr/bin/env bash
# `make serve`: the production stack on this machine. Migrates, collects
# static files, starts TASK_WORKERS django-tasks workers and gunicorn.
#
#   DATABASE_URL=postgres://… REDIS_URL=redis://127.0.0.1:6379/0 SECRET_KEY=… \
#   ALLOWED_HOSTS=bewigan.example TASK_WORKERS=2 WEB_CONCURRENCY=4 make serve
#
# It survives a database restart: gunicorn answers the 503 page meanwhile and
# reconnects by itself, the workers wait with back-off (`manage.py
# db_worker`), and should a worker exit anyway it is started again, after
# 1, 2, 4 … 30 seconds. Only gunicorn stopping, or Ctrl-C / SIGTERM, stops
# the stack (like systemd's Restart=always for bewigan-worker@).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-bewigan.settings.base}"
: "${DATABASE_URL:?Set DATABASE_URL=postgres://user@host:5432/dbname (production needs PostgreSQL)}"
TASK_WORKERS="${TASK_WORKERS:-1}"

if [[ "${SERVE_SKIP_SETUP:-}" != "1" ]]; then  # the tests have done it already
  "$BIN/python" manage.py migrate --noinput
  "$BIN/python" manage.py createcachetable
  "$BIN/python" manage.py collectstatic --noinput --verbosity 0
fi

declare -A worker_pid worker_started worker_delay
web=""

stop() {
  trap - EXIT INT TERM
  kill -TERM ${web:+"$web"} "${worker_pid[@]}" 2>/dev/null || true
  wait || true
}
trap stop EXIT INT TERM

start_worker() {
  "$BIN/python" manage.py db_worker --queue-name "${TASK_QUEUES:-*}" --no-reload \
    --worker-id "$(hostname)-$$-$1" &
  worker_pid[$1]=$!
  worker_started[$1]=$SECONDS
}

for i in $(seq 1 "$TASK_WORKERS"); do
  worker_delay[$i]=1
  start_worker "$i"
done
"$BIN/gunicorn" -c deploy/gunicorn.conf.py &
web=$!

while true; do
  wait -n || true  # a child stopped (or a signal arrived: the trap runs)
  if ! kill -0 "$web" 2>/dev/null; then
    echo "serve.sh: gunicorn stopped; stopping the task workers" >&2
    exit 1
  fi
  for i in "${!worker_pid[@]}"; do
    kill -0 "${worker_pid[$i]}" 2>/dev/null && continue
    # A worker that ran for a minute starts again quickly; one that keeps
    # failing waits longer each time, up to 30 s.
    if (( SECONDS - worker_started[$i] > 60 )); then worker_delay[$i]=1; fi
    echo "serve.sh: task worker $i stopped; starting it again in ${worker_delay[$i]} s" >&2
    sleep "${worker_delay[$i]}" & wait "$!" || true  # Ctrl-C is not held up by the wait
    worker_delay[$i]=$(( worker_delay[$i] * 2 > 30 ? 30 : worker_delay[$i] * 2 ))
    start_worker "$i"
  done
done
