"""Heavy load test: 50 members of staff at once against the production stack
on this machine (gunicorn + a task worker, PostgreSQL, Redis), driven by
locust on loopback. Figures: requests per second, p50/p95 latency, errors
(must be 0), and acknowledged submissions (email addresses, pulse answers,
my-time talking points) == rows stored.

Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379. The short
version runs in CI: tests/production/test_load.py.
"""

import json
import os
import subprocess
import uuid
from pathlib import Path

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
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "90"))
WEB_WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "3"))
# MorningArrival (default): the morning peak of issue #15, people arriving at
# about 5,000 an hour; StaffMember: everyone signed in at once, then browsing.
PROFILE = os.environ.get("BENCH_LOAD_PROFILE", "MorningArrival")
P95_TARGET_MS = 1000


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its children
    (the gunicorn master and its workers): what the run cost the web tier,
    however busy the machine was."""
    pids = [pid, *Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    ticks = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue  # a worker that was recycled meanwhile
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


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
        load_before = os.getloadavg()[0]
        cpu_before = _cpu_seconds(web.proc.pid)
        figures = run_locust(
            host=web.url,
            emails=emails,
            users=USERS,
            seconds=SECONDS,
            spawn_rate=2 if PROFILE == "MorningArrival" else 10,
            profile=PROFILE,
        )
        load_after = os.getloadavg()[0]
        web_cpu = _cpu_seconds(web.proc.pid) - cpu_before
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
    sign_ins = figures["by_name"].get("sign in", {}).get("n", 0)
    pages = {
        name: v for name, v in figures["by_name"].items() if name not in ("sign in", "sign out")
    }
    result = {
        "profile": PROFILE,
        "load_average_before_after": [round(load_before, 2), round(load_after, 2)],
        "sign_ins": sign_ins,
        "sign_ins_per_hour": round(sign_ins / SECONDS * 3600),
        "worst_page_p95_ms": max((v["p95_ms"] for v in pages.values()), default=0),
        # The web tier's own cost, steady whatever else runs on the machine.
        "web_cpu_seconds": round(web_cpu, 1),
        "web_cpu_ms_per_request": round(web_cpu * 1000 / max(1, figures["requests"]), 1),
        "web_cpu_ms_per_visit": round(web_cpu * 1000 / max(1, sign_ins), 1),
        "p95_target_ms": P95_TARGET_MS,
        "concurrent_users": USERS,
        "seconds": SECONDS,
        "web_workers": f"{WEB_WORKERS} gunicorn workers x 4 threads",
        "requests": figures["requests"],
        "rps": figures["rps"],
        "p50_ms": figures["p50_ms"],
        "p95_ms": figures["p95_ms"],
        "p99_ms": figures["p99_ms"],
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
    result["failures"] = figures["failures"]
    result["exceptions"] = figures["exceptions"]
    # Kept even when a check below fails, to see what happened.
    Path(__file__).with_name("results").joinpath("load-last-run.json").write_text(
        json.dumps(result, indent=2) + "\n"
    )
    assert figures["errors"] == 0, figures["failures"]
    assert not figures["exceptions"], figures["exceptions"]
    if PROFILE == "MorningArrival":  # the stress profile has no latency target
        assert figures["p95_ms"] < P95_TARGET_MS, f"p95 {figures['p95_ms']} ms"
    assert stored == acknowledged, f"{acknowledged} acknowledged, {stored} stored"
    assert responses_stored == answered, (
        f"{answered} answers acknowledged, {responses_stored} stored"
    )
    assert points_stored == points_added, (
        f"{points_added} talking points acknowledged, {points_stored} stored"
    )
    return result
