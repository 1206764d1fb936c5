"""Heavy load test: 50 members of staff at once against the production stack
on this machine (gunicorn + a task worker, PostgreSQL, Redis), driven by
locust on loopback. Figures: requests per second, p50/p95 latency, errors
(must be 0), and acknowledged submissions (email addresses, pulse answers,
my-time talking points) == rows stored.

Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379. The short
version runs in CI: tests/production/test_load.py.
"""

import os
import subprocess
import uuid

from bench.load import (
    run_locust,
    stored_email_adds,
    stored_survey_responses,
    stored_talking_points,
)
from bench.stack import (
    PG_ADMIN,
    PYTHON,
    ROOT,
    Gunicorn,
    copy_database,
    drop_database,
    ensure_static,
    ensure_template_db,
    stack_env,
    template_load_users,
)

USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
WEB_WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "3"))


def main() -> dict:
    import redis

    ensure_static()
    template = ensure_template_db()
    emails = template_load_users(template)
    db = copy_database(template, f"bw_prod_bench_{uuid.uuid4().hex[:8]}")
    redis.Redis(db=12).flushdb()
    env = stack_env(f"{PG_ADMIN}/{db}", 12, WEB_CONCURRENCY=WEB_WORKERS, WEB_THREADS=4)
    web = Gunicorn(env)
    worker = None
    try:
        web.start()
        responses_before = stored_survey_responses(db)
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        figures = run_locust(
            host=web.url, emails=emails, users=USERS, seconds=SECONDS, spawn_rate=10
        )
        acknowledged = figures["acknowledged"].get("email_address", 0)
        stored = stored_email_adds(db, figures["run"])
        answered = figures["acknowledged"].get("survey_response", 0)
        responses_stored = stored_survey_responses(db) - responses_before
        points_added = figures["acknowledged"].get("talking_point", 0)
        points_stored = stored_talking_points(db, figures["run"])
    finally:
        if worker:
            worker.terminate()
            worker.wait(60)
        web.stop()
        drop_database(db)
        redis.Redis(db=12).flushdb()
    result = {
        "concurrent_users": USERS,
        "seconds": SECONDS,
        "web_workers": f"{WEB_WORKERS} gunicorn workers x 4 threads",
        "requests": figures["requests"],
        "rps": figures["rps"],
        "p50_ms": figures["p50_ms"],
        "p95_ms": figures["p95_ms"],
        "errors": figures["errors"],
        "submissions_acknowledged": acknowledged,
        "submissions_stored": stored,
        "pulse_answers_acknowledged": answered,
        "pulse_answers_stored": responses_stored,
        "talking_points_acknowledged": points_added,
        "talking_points_stored": points_stored,
        "by_page": figures["by_name"],
        "cpu_cores": os.cpu_count(),
    }
    assert figures["errors"] == 0, figures["failures"]
    assert stored == acknowledged, f"{acknowledged} acknowledged, {stored} stored"
    assert responses_stored == answered, (
        f"{answered} answers acknowledged, {responses_stored} stored"
    )
    assert points_stored == points_added, (
        f"{points_added} talking points acknowledged, {points_stored} stored"
    )
    return result
