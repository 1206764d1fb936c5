"""Settings for the intranet bench's gunicorn workers: bench.settings with
persistent database connections, as in production (bewigan/settings/base.py
gives PostgreSQL conn_max_age=60; its SQLite branch turns them off for the
development server). Without them every request opens the SQLite file and
reads its schema again, which costs more than rendering most pages."""

import os

from bench.settings import *  # noqa: F403

DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405

# bench_cms runs the home page once with its "my work" cache off (worst case).
BEWIGAN_MY_WORK_CACHE_SECONDS = int(  # noqa: F405
    os.environ.get("BENCH_MY_WORK_CACHE_SECONDS", BEWIGAN_MY_WORK_CACHE_SECONDS)  # noqa: F405
)
