"""Faults under load: PostgreSQL stops and comes back, the task worker stops
and comes back.

The machine's shared PostgreSQL is never stopped: this test starts a private
cluster (Debian's postgresql-15 binaries, as the postgres user, on a free
port in a temporary folder), copies the seeded database into it, and points
a gunicorn instance and a task worker at it.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

from bench.stack import (
    PG_PORT,
    PYTHON,
    ROOT,
    free_port,
    psql,
    sign_in,
    stack_env,
    submit_idea,
)

PG_BIN = Path("/usr/lib/postgresql/15/bin")
FRIENDLY = "Sorry, the service is unavailable"


class PrivateCluster:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="bewigan-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        self.data = self.dir / "data"

    def _pg(self, *args):
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def init(self):
        self._pg(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
        )
        return self

    def start(self):
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.dir}"
        )
        self._pg(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.dir / "log"),
            "-w",
            "start",
        )

    def stop(self):
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def private_pg(template_db):
    if not (PG_BIN / "initdb").exists() or shutil.which("runuser") is None:
        pytest.skip("needs Debian's postgresql-15 binaries and runuser")
    cluster = PrivateCluster().init()
    cluster.start()
    try:
        psql("CREATE DATABASE bewigan", port=cluster.port)
        dump = subprocess.run(
            [
                "pg_dump",
                "-h",
                "127.0.0.1",
                "-p",
                str(PG_PORT),
                "-U",
                "postgres",
                "-Fc",
                template_db,
            ],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(
            [
                "pg_restore",
                "-h",
                "127.0.0.1",
                "-p",
                str(cluster.port),
                "-U",
                "postgres",
                "-d",
                "bewigan",
                "--no-owner",
            ],
            input=dump,
            check=True,
            capture_output=True,
        )
        psql(
            "DROP TABLE bw_prod_template_ready; DROP TABLE bw_prod_load_users",
            db="bewigan",
            port=cluster.port,
        )
        yield cluster
    finally:
        cluster.destroy()


class Traffic:
    """People keep using the site: open the home page, add an email address
    (a write that is acknowledged by a redirect). Records every answer."""

    def __init__(self, base_url, sessions):
        self.base_url = base_url
        self.sessions = sessions
        self.stop = threading.Event()
        self.answers = []  # (phase, kind, status, body)
        self.acknowledged = []
        self.phase = "before"
        self.lock = threading.Lock()

    def _run(self, index, session):
        n = 0
        while not self.stop.is_set():
            n += 1
            phase = self.phase
            try:
                home = session.get(f"{self.base_url}/", allow_redirects=False, timeout=15)
                self._record(phase, "home", home)
                email = f"fault-{index}-{n}@bewigan.invalid"
                post = session.post(
                    f"{self.base_url}/accounts/email/",
                    data={
                        "email": email,
                        "action_add": "",
                        "csrfmiddlewaretoken": session.cookies["csrftoken"],
                    },
                    allow_redirects=False,
                    timeout=15,
                )
                self._record(phase, "submit", post)
                if post.status_code == 302:
                    with self.lock:
                        self.acknowledged.append(email)
            except requests.RequestException as exc:
                with self.lock:
                    self.answers.append((phase, "error", 0, repr(exc)))
            time.sleep(0.1)

    def _record(self, phase, kind, response):
        # A request that straddles a change of phase belongs to neither.
        if self.phase != phase:
            phase = "transition"
        with self.lock:
            self.answers.append((phase, kind, response.status_code, response.text))

    def __enter__(self):
        self.threads = [
            threading.Thread(target=self._run, args=(i, s), daemon=True)
            for i, s in enumerate(self.sessions)
        ]
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(30)

    def statuses(self, phase, kind=None):
        return [a[2] for a in self.answers if a[0] == phase and (kind is None or a[1] == kind)]


def _wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_database_outage_answers_503_and_recovers_by_itself(
    private_pg, redis_db, servers, load_users
):
    db_url = f"postgres://postgres@127.0.0.1:{private_pg.port}/bewigan"
    env = stack_env(db_url, redis_db, WEB_THREADS=6, DB_CONNECT_TIMEOUT=2)
    web = servers(env)
    pid = web.proc.pid
    sessions = [sign_in(web.url, email) for email in load_users[:3]]
    for session in sessions:
        session.headers["X-Forwarded-For"] = "10.9.9.9"
    for session in sessions:
        session.get(f"{web.url}/accounts/email/", timeout=30)  # sets the CSRF cookie

    with Traffic(web.url, sessions) as traffic:
        assert _wait_for(lambda: len(traffic.statuses("before", "submit")) >= 3, 60)
        traffic.phase = "down"
        private_pg.stop()
        ready = requests.get(f"{web.url}/readyz", timeout=15)
        assert ready.status_code == 503 and ready.json()["database"] == "fail"
        assert _wait_for(lambda: traffic.statuses("down").count(503) >= 6, 60)
        traffic.phase = "restarting"
        private_pg.start()
        traffic.phase = "after"
        assert _wait_for(lambda: 200 in traffic.statuses("after", "home"), 60)
        assert _wait_for(lambda: traffic.statuses("after", "submit").count(302) >= 3, 60)

    assert web.proc.poll() is None and web.proc.pid == pid, "gunicorn was not restarted"
    assert requests.get(f"{web.url}/readyz", timeout=15).status_code == 200

    # During the outage: the friendly page, never a stack trace or a 500.
    down = [a for a in traffic.answers if a[0] == "down"]
    assert {status for _, _, status, _ in down} <= {503, 200, 302}, {a[2] for a in down}
    for _, _, status, body in down:
        if status == 503:
            assert FRIENDLY in body
            assert "Traceback" not in body and "OperationalError" not in body
    # Before and after: everything worked.
    assert set(traffic.statuses("before", "home")) == {200}
    assert set(traffic.statuses("after", "home")) == {200}
    assert traffic.statuses("after", "submit").count(302) >= 3
    assert set(traffic.statuses("after", "submit")) == {302}
    assert not [a for a in traffic.answers if a[1] == "error"]
    assert not [a for a in traffic.answers if a[2] == 500]

    # No acknowledged submission was lost.
    stored = psql(
        "SELECT email FROM account_emailaddress WHERE email LIKE 'fault-%'",
        db="bewigan",
        port=private_pg.port,
    ).split()
    assert sorted(stored) == sorted(traffic.acknowledged)


def test_tasks_wait_for_a_stopped_worker(private_pg, redis_db, servers):
    db_url = f"postgres://postgres@127.0.0.1:{private_pg.port}/bewigan"
    env = stack_env(db_url, redis_db)
    web = servers(env)
    session = sign_in(web.url, "staff@wigan.gov.uk")

    def statuses():
        return psql(
            "SELECT status FROM django_tasks_database_dbtaskresult",
            db="bewigan",
            port=private_pg.port,
        ).split()

    def start_worker():
        return subprocess.Popen(
            [
                PYTHON,
                "manage.py",
                "db_worker",
                "--queue-name",
                "*",
                "--no-reload",
                "--interval",
                "0.5",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    worker = start_worker()
    try:
        assert _wait_for(lambda: "READY" not in statuses(), 60), "the worker drains the queue"
        worker.terminate()  # systemctl stop bewigan-worker@1
        assert worker.wait(60) == 0

        submit_idea(session, web.url)
        waiting = statuses().count("READY")
        assert waiting > 0
        time.sleep(2)
        assert statuses().count("READY") == waiting, "no worker, so the tasks wait"

        worker = start_worker()  # systemctl start bewigan-worker@1
        assert _wait_for(lambda: "READY" not in statuses(), 60)
        assert set(statuses()) == {"SUCCESSFUL"}
    finally:
        worker.terminate()
        worker.wait(60)


def _children(pid: int) -> dict[str, int]:
    """serve.sh's children by role: {"gunicorn": pid, "worker": pid}."""
    out = subprocess.run(
        ["ps", "-o", "pid=,args=", "--ppid", str(pid)], capture_output=True, text=True
    ).stdout
    roles = {}
    for line in out.splitlines():
        child, args = line.strip().split(" ", 1)
        if "gunicorn" in args:
            roles["gunicorn"] = int(child)
        elif "db_worker" in args:
            roles["worker"] = int(child)
    return roles


def test_make_serve_survives_a_database_restart(private_pg, redis_db, load_users, tmp_path):
    """`make serve` (deploy/serve.sh: gunicorn and a task worker) while
    PostgreSQL restarts under load: nothing exits, the site answers again
    within seconds, the same worker runs the queue, and every acknowledged
    submission is stored."""
    db_url = f"postgres://postgres@127.0.0.1:{private_pg.port}/bewigan"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = stack_env(
        db_url,
        redis_db,
        BIND=f"127.0.0.1:{port}",
        BIN=str(Path(PYTHON).parent),
        TASK_WORKERS=1,
        SERVE_SKIP_SETUP=1,  # the copied database is migrated, static files collected
        WEB_THREADS=6,
        DB_CONNECT_TIMEOUT=2,
        LOG_LEVEL="WARNING",
    )
    log = tmp_path / "serve.log"
    serve = subprocess.Popen(
        ["bash", "deploy/serve.sh"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def answers(path="/healthz"):
        try:
            return requests.get(f"{base_url}{path}", timeout=5).status_code
        except requests.RequestException:
            return 0

    try:
        assert _wait_for(lambda: answers() == 200, 60), log.read_text()
        assert _wait_for(lambda: set(_children(serve.pid)) == {"gunicorn", "worker"}, 30)
        before = _children(serve.pid)
        sessions = [sign_in(base_url, email) for email in load_users[3:6]]
        for session in sessions:
            session.headers["X-Forwarded-For"] = "10.9.9.8"
            session.get(f"{base_url}/accounts/email/", timeout=30)  # sets the CSRF cookie

        with Traffic(base_url, sessions) as traffic:
            assert _wait_for(lambda: len(traffic.statuses("before", "submit")) >= 3, 60)
            traffic.phase = "down"
            private_pg.stop()
            assert _wait_for(lambda: traffic.statuses("down").count(503) >= 3, 60)
            # The worker has met the outage too, and is waiting it out.
            assert _wait_for(lambda: "Database unavailable" in log.read_text(), 30), log.read_text()
            assert answers("/healthz") == 200  # liveness stays green throughout
            traffic.phase = "restarting"
            private_pg.start()
            back_at = time.monotonic()
            traffic.phase = "after"
            assert _wait_for(lambda: 200 in traffic.statuses("after", "home"), 30)
            recovered_in = time.monotonic() - back_at
            assert _wait_for(lambda: traffic.statuses("after", "submit").count(302) >= 3, 60)

        assert recovered_in < 10, f"the site took {recovered_in:.1f} s to answer again"
        assert serve.poll() is None, log.read_text()
        assert _children(serve.pid) == before, "nothing was restarted"

        # The same worker runs new work after the restart.
        submit_idea(sessions[0], base_url)

        def waiting():
            return psql(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'",
                db="bewigan",
                port=private_pg.port,
            )

        assert _wait_for(lambda: waiting() == "0", 60), "the worker ran the queue"
        assert _children(serve.pid) == before

        assert set(traffic.statuses("after", "home")) == {200}
        assert not [a for a in traffic.answers if a[1] == "error" or a[2] == 500]
        stored = psql(
            "SELECT email FROM account_emailaddress WHERE email LIKE 'fault-%'",
            db="bewigan",
            port=private_pg.port,
        ).split()
        assert sorted(stored) == sorted(traffic.acknowledged)
    finally:
        serve.terminate()  # SIGTERM: serve.sh stops gunicorn and the workers
        try:
            serve.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
