"""The production stack on this machine, for the production tests and the
load benchmark: scratch PostgreSQL databases, gunicorn instances started with
deploy/gunicorn.conf.py and the production settings, manage.py commands, and
allauth sign-in through the real form."""

import contextlib
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import requests
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
PASSWORD = "bewigan-demo-2026"  # bewigan.people.demo.DEMO_PASSWORD
LOAD_USER_COUNT = 60


def _pg_server() -> tuple[str, int]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        parts = urlsplit(url)
        return parts.hostname or "127.0.0.1", parts.port or 5432
    return "127.0.0.1", 5432


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


PG_HOST, PG_PORT = _pg_server()
PG_ADMIN = f"postgres://postgres@{PG_HOST}:{PG_PORT}"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


# --- small helpers ---------------------------------------------------------


def psql(sql: str, *, db: str = "postgres", host: str = PG_HOST, port: int = PG_PORT) -> str:
    out = subprocess.run(
        ["psql", "-h", host, "-p", str(port), "-U", "postgres", "-d", db, "-tAq", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stack_env(database_url: str, redis_db: int, **extra) -> dict:
    """Production settings from the environment, as /etc/bewigan/bewigan.env
    gives them, except plain http on loopback."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "PYTEST", "REDIS_", "DEBUG"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "bewigan.settings.base",
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db}",
        "SECRET_KEY": "production-tests-secret-key-shared-by-every-instance",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "TRUSTED_PROXY_COUNT": "1",
        "STATIC_ROOT": str(static_root()),
        "DATA_DIR": "/tmp/bewigan-production-tests",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "4",
        "WEB_LOG_LEVEL": "warning",
        "WEB_ACCESS_LOG": "/dev/null",
        "PYTHONUNBUFFERED": "1",
    }
    env |= {k: str(v) for k, v in extra.items()}
    return env


def manage(env: dict, *args: str, timeout: int = 600) -> str:
    out = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert out.returncode == 0, f"manage.py {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}"
    return out.stdout + out.stderr


def _fingerprint(*globs: str) -> str:
    digest = hashlib.sha256()
    for pattern in globs:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def static_root() -> Path:
    return Path("/tmp/bewigan-production-static")


# --- the stack --------------------------------------------------------------


class Gunicorn:
    """One web server instance: `gunicorn -c deploy/gunicorn.conf.py`."""

    def __init__(self, env: dict, *, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(f"/tmp/bewigan-gunicorn-{self.port}.log")
        self.env = {**env, "BIND": f"127.0.0.1:{self.port}"}
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [GUNICORN, "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start:\n{self.log.read_text()}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def sign_in(base_url: str, email: str, password: str = PASSWORD, *, session=None):
    """allauth's real sign-in form: GET for the CSRF token, then POST."""
    session = session or requests.Session()
    form = session.get(f"{base_url}/accounts/login/", timeout=30)
    assert form.status_code == 200, form.status_code
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    response = session.post(
        f"{base_url}/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, (response.status_code, response.text[:2000])
    return session


def csrf_token(session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def ensure_static() -> Path:
    """collectstatic once (hashed, compressed names, as in production);
    reused while the static sources are unchanged."""
    root = static_root()
    stamp = (
        root
        / f".fingerprint-{_fingerprint('bewigan/static/**/*', 'pyproject.toml', 'constraints.txt')}"
    )
    if not stamp.exists():
        shutil.rmtree(root, ignore_errors=True)
        manage(
            stack_env(f"{PG_ADMIN}/postgres", 15), "collectstatic", "--noinput", "--verbosity", "0"
        )
        stamp.touch()
    return root


APPS = ("bewigan/*", "recruitment", "appraisals", "surveys", "cms")


def ensure_template_db() -> str:
    """A migrated, seeded database to copy from: `bw_prod_tpl_<fingerprint>`,
    rebuilt only when migrations, seeders or settings change, and each
    calendar month: seeded dates are relative to the day of seeding (open
    pulse waves, the load users' upcoming my time), so a stale copy would
    leave the load test nothing to answer or edit."""
    code = _fingerprint(
        *[f"{app}/migrations/*.py" for app in APPS],
        *[f"{app}/demo*.py" for app in APPS],
        "bench/load_users.py",
    )
    month = time.strftime("%Y-%m")
    # BEWIGAN_TEMPLATE_DB_PREFIX keeps one person's templates apart from others'
    # on a shared PostgreSQL server (each prefix only ever drops its own).
    prefix = os.environ.get("BEWIGAN_TEMPLATE_DB_PREFIX", "bw_prod_tpl_")
    assert re.fullmatch(r"[a-z0-9_]+", prefix), prefix
    name = prefix + hashlib.sha256(f"{code}-{month}".encode()).hexdigest()[:12]
    # Names here are our own (hex digests, seeded emails), never user input.
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")  # noqa: S608
    ready = (
        exists
        and psql(
            "SELECT count(*) FROM pg_tables WHERE tablename = 'bw_prod_template_ready'", db=name
        )
        == "1"
    )
    if not ready:
        # Older templates go, but never one in use: several people (or test
        # runs) on one machine may be building or copying their own.
        for old in psql(
            f"SELECT datname FROM pg_database d WHERE datname LIKE '{prefix}%'"  # noqa: S608
            " AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)"
        ).split():
            # (someone connected meanwhile: left for a later run)
            with contextlib.suppress(subprocess.CalledProcessError):
                psql(f'DROP DATABASE IF EXISTS "{old}"')
        psql(f'CREATE DATABASE "{name}"')
        env = stack_env(f"{PG_ADMIN}/{name}", 15)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "createcachetable")
        manage(env, "seed_demo")
        output = manage(
            env, "shell", "-c", f"from bench.load_users import main; main({LOAD_USER_COUNT})"
        )
        emails = [line for line in output.splitlines() if re.fullmatch(r"[^\s@{]+@[^\s@]+", line)]
        values = ",".join(f"('{e}')" for e in emails)
        psql(
            f"CREATE TABLE bw_prod_load_users (email text); INSERT INTO bw_prod_load_users VALUES {values}",  # noqa: S608
            db=name,
        )
        psql("CREATE TABLE bw_prod_template_ready (id int)", db=name)
    return name


def copy_database(template: str, name: str) -> str:
    psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    psql("DROP TABLE bw_prod_template_ready; DROP TABLE bw_prod_load_users", db=name)
    return name


def drop_database(name: str) -> None:
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def template_load_users(template: str) -> list[str]:
    return psql("SELECT email FROM bw_prod_load_users ORDER BY email", db=template).split()


def fill_form(html: str) -> dict:
    """Fill the page's main form the way a person would: text in the text
    boxes, the first choice of each radio group and required select."""
    soup = BeautifulSoup(html, "html.parser")
    posts = [f for f in soup.find_all("form") if (f.get("method") or "").lower() == "post"]
    form = max(posts, key=lambda f: len(f.find_all(["input", "textarea", "select"])))
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name:
            continue
        kind = (field.get("type") or field.name).lower()
        if kind == "hidden":
            data[name] = field.get("value", "")
        elif kind in ("text", "email", "url", "search"):
            data[name] = f"Scale-out check {uuid.uuid4().hex[:6]}"
        elif field.name == "textarea":
            data[name] = "Tested by the scale-out test: two web servers, one queue, one worker."
        elif kind == "radio":
            data.setdefault(name, field.get("value"))
        elif field.name == "select" and field.has_attr("required"):
            options = [o.get("value") for o in field.find_all("option") if o.get("value")]
            data[name] = options[0]
    return data


def submit_idea(session, base_url: str, *, request_id: str | None = None):
    """A member of staff submits an idea (/ideas/new/): a real form POST that
    enqueues background work (search indexing, notifications)."""
    page = session.get(f"{base_url}/ideas/new/", timeout=30)
    assert page.status_code == 200, page.status_code
    data = fill_form(page.text)
    headers = {"X-Request-ID": request_id} if request_id else {}
    response = session.post(
        f"{base_url}/ideas/new/", data=data, headers=headers, allow_redirects=False, timeout=30
    )
    assert response.status_code == 302, response.text[:3000]
    return response
