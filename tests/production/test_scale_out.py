"""Scale-out: two stateless web servers share PostgreSQL and Redis; a
session started on one continues on the other; a task enqueued by one is
run by a separate worker, carrying the request id into its logs."""

import json
import uuid

import redis

from bench.stack import (
    PG_ADMIN,
    REDIS_HOST,
    REDIS_PORT,
    manage,
    psql,
    sign_in,
    stack_env,
    submit_idea,
)


def test_session_and_tasks_cross_web_servers(scratch_db, redis_db, servers):
    env = stack_env(f"{PG_ADMIN}/{scratch_db}", redis_db)
    a = servers(env)
    b = servers(env)
    assert a.port != b.port

    # Sign in on A through allauth's real form (CSRF and all).
    browser = sign_in(a.url, "staff@wigan.gov.uk")
    home = browser.get(f"{a.url}/", timeout=30)
    assert home.status_code == 200

    # The session lives in Redis (cached_db), so B knows it.
    keys = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=redis_db).keys("*cached_db*")
    assert keys, "no session in Redis"
    profile = browser.get(f"{b.url}/people/me/", allow_redirects=False, timeout=30)
    assert profile.status_code == 200, profile.status_code
    assert "Sam Turner" in profile.text

    # A stranger (no session cookie) is sent to sign in by B.
    assert browser.__class__().get(f"{b.url}/people/me/", allow_redirects=False).status_code == 302

    # A submission on A enqueues background work (the new idea's search
    # indexing, and any notifications) in the shared database queue.
    request_id = f"scaleout-{uuid.uuid4().hex}"
    before = int(psql("SELECT count(*) FROM django_tasks_database_dbtaskresult", db=scratch_db))
    created = submit_idea(browser, a.url, request_id=request_id)
    waiting = psql(
        "SELECT status FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at", db=scratch_db
    ).split()
    assert len(waiting) > before
    new_ids = psql(
        f"SELECT id FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at, id OFFSET {before:d}",  # noqa: S608
        db=scratch_db,
    ).split()
    assert set(waiting[before:]) == {"READY"}, "nothing runs tasks until a worker does"

    # B's users see the idea immediately (same database).
    idea_url = created.headers["Location"]
    assert browser.get(f"{b.url}{idea_url}", timeout=30).status_code == 200

    # A worker (another process, as on a worker VM) runs what was queued.
    worker_env = {**env, "LOG_LEVEL": "INFO", "TASKS_LOG_LEVEL": "INFO"}
    output = manage(worker_env, "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay")
    statuses = psql(
        "SELECT DISTINCT status FROM django_tasks_database_dbtaskresult", db=scratch_db
    ).split()
    assert statuses == ["SUCCESSFUL"], statuses

    # The worker's JSON log lines carry the id of the request that enqueued the task.
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    ours = [line for line in lines if any(task_id in line["message"] for task_id in new_ids)]
    assert any("SUCCESSFUL" in line["message"] for line in ours), output
    assert {line["request_id"] for line in ours} == {request_id}
    assert {line["task_id"] for line in ours} <= set(new_ids)
