"""The production stack, started the way operators start it, for the tests
in this folder: gunicorn with deploy/gunicorn.conf.py and the production
settings module (`bewigan.settings.base`, DEBUG off) against PostgreSQL and
Redis, and `manage.py db_worker` (helpers in bench/stack.py).

They need PostgreSQL on 127.0.0.1:5432 (or DATABASE_URL=postgres://…) and
Redis on 127.0.0.1:6379; without them they skip, except in CI (CI=true),
where they fail. They never touch the database the other tests use: a
template database is migrated and seeded once (reused across runs while the
migrations and seeders are unchanged) and each test copies it.
"""

import os
import uuid
from pathlib import Path

import pytest

from bench.stack import (
    PG_HOST,
    PG_PORT,
    REDIS_HOST,
    REDIS_PORT,
    Gunicorn,
    copy_database,
    drop_database,
    ensure_static,
    ensure_template_db,
    reachable,
    template_load_users,
)

AVAILABLE = reachable(PG_HOST, PG_PORT) and reachable(REDIS_HOST, REDIS_PORT)
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here not in Path(item.fspath).parents:
            continue
        item.add_marker(pytest.mark.postgres)
        # One xdist worker runs them all (`--dist loadgroup`): they share the
        # seeded template database, Redis database 13 and the static files,
        # and the load test measures better without a second copy of itself.
        item.add_marker(pytest.mark.xdist_group("production"))
        if not ON_POSTGRES:
            # The production stack is proven once, in the PostgreSQL pass of
            # `make test`; the SQLite pass (the embedded default) skips it.
            item.add_marker(pytest.mark.skip(reason="runs when DATABASE_URL is PostgreSQL"))
            continue
        if AVAILABLE:
            continue
        if os.environ.get("CI") == "true":
            # In CI a missing PostgreSQL or Redis is a failure, not a skip.
            item.add_marker(pytest.mark.usefixtures("_require_services"))
        else:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL on :5432 and Redis on :6379"))


@pytest.fixture
def _require_services():
    pytest.fail("CI must provide PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379")


@pytest.fixture(scope="session")
def template_db():
    ensure_static()
    return ensure_template_db()


@pytest.fixture
def scratch_db(template_db):
    """A fresh copy of the seeded database for one test (dropped afterwards)."""
    name = copy_database(template_db, f"bw_prod_{uuid.uuid4().hex[:10]}")
    yield name
    drop_database(name)


@pytest.fixture(scope="session")
def load_users(template_db):
    """Seeded members of staff with a verified email (bench/load_users.py)."""
    return template_load_users(template_db)


@pytest.fixture
def redis_db(worker_id):
    """A Redis database number of this xdist worker's own, emptied before and
    after. One number shared by every worker let a test on one worker flush
    the sessions and task request ids of a test running on another. Beyond
    eight workers, two share a number and take turns (a file lock)."""
    import fcntl

    import redis

    index = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    number = 4 + index % 8  # 12 is bench_load's; 0-3 are left to a developer's own use
    with open(f"/tmp/bewigan-tests-redis-{number}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number)
        client.flushdb()
        try:
            yield number
        finally:
            client.flushdb()


@pytest.fixture
def servers():
    started = []

    def _start(env, port=None):
        server = Gunicorn(env, port=port).start()
        started.append(server)
        return server

    yield _start
    for server in started:
        server.stop()


@pytest.fixture(autouse=True)
def _media_and_cache():
    """Overrides tests/conftest.py's: these tests use no Django test database
    (everything runs in the servers they start)."""
    yield
