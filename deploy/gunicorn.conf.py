"""gunicorn settings for BeWigan (`make serve`, deploy/systemd/bewigan-web.service).

Every knob is an environment variable so one file serves a laptop, a VM and
a fleet of web servers behind a load balancer. The web processes are
stateless: sessions and cache live in Redis, data in PostgreSQL, media in
object storage, so more servers (or more workers) is all scaling takes.
"""

import multiprocessing
import os

wsgi_app = "bewigan.wsgi:application"
raw_env = [
    f"DJANGO_SETTINGS_MODULE={os.environ.get('DJANGO_SETTINGS_MODULE', 'bewigan.settings.base')}"
]

# Where to listen: nginx proxies to this (a unix socket works too: unix:/run/bewigan/web.sock).
bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}").split(",")

# Sync workers with a few threads each: Django views here are short and
# database-bound. WEB_CONCURRENCY is the conventional name for the count.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "2"))
worker_class = "gthread" if threads > 1 else "sync"

# Requests that take longer than this are killed (and logged); the database
# has its own connect timeout (DB_CONNECT_TIMEOUT) so an outage answers 503 fast.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "30"))
keepalive = 5

# No recycling of workers by default. A recycled gthread worker closes the
# keep-alive connections it holds, and a client (or nginx, which keeps
# connections open to us: deploy/nginx) that is sending its next request on
# one at that moment gets a connection reset: at 50 busy users with
# recycling every 2,000 requests, 93 of 7,397 requests failed that way
# (bench/bench_load.py, StaffMember profile); with none, 0. Set
# WEB_MAX_REQUESTS only to contain a memory leak you have found; the
# per-worker caches are bounded (settings: CACHES).
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# Heartbeat files in memory, not on a possibly slow disk.
SHM = "/dev/shm"  # noqa: S108 - gunicorn's documented heartbeat location
worker_tmp_dir = SHM if os.path.isdir(SHM) else None

# Trust X-Forwarded-* only from the proxy in front (nginx on the same host by default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stdout/stderr (journald collects them). The access log is one JSON
# object per line, with the same request id as the application's own logs.
accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
access_log_format = (
    '{"time":"%(t)s","logger":"gunicorn.access","method":"%(m)s","path":"%(U)s",'
    '"status":%(s)s,"bytes":"%(B)s","duration_ms":%(M)s,"request_id":"%({x-request-id}o)s"}'
)
proc_name = os.environ.get("WEB_PROC_NAME", "bewigan-web")
