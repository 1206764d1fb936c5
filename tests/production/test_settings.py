"""Production settings: `check --deploy` is clean with a production
environment, SQLite is refused, and the optional parts (read replica, Redis
sessions, object storage, Sentry) switch on from the environment alone."""

import json
import subprocess

from bench.stack import PG_ADMIN, PYTHON, ROOT

PRODUCTION_ENV = {
    "PATH": "/usr/bin:/bin",
    "DJANGO_SETTINGS_MODULE": "bewigan.settings.base",
    "SECRET_KEY": "x7Qm2vR9kL4pW8nZ3tY6bH1cJ5dF0gS2aE7uI9oP4lK8mN3qV6wX1zC5rT0yB2hG",
    "ALLOWED_HOSTS": "bewigan.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://bewigan.example.org",
    "DATABASE_URL": f"{PG_ADMIN}/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def run(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            PYTHON,
            "-c",
            f"import django; django.setup(); from django.conf import settings as s; {code}",
        ],
        cwd=ROOT,
        env={**PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean():
    out = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=PRODUCTION_ENV,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_production_refuses_sqlite():
    out = run("print(1)", DATABASE_URL="sqlite:////tmp/bewigan-refused.sqlite3")
    assert out.returncode != 0
    assert "needs PostgreSQL" in out.stderr


def test_redis_sessions_replica_storage_and_sentry_from_the_environment():
    out = run(
        "import json; print(json.dumps({'session': s.SESSION_ENGINE, 'cache': s.CACHES['default']['BACKEND'],"
        " 'dbs': sorted(s.DATABASES), 'routers': s.DATABASE_ROUTERS,"
        " 'storage': s.STORAGES['default']['BACKEND'], 'provider': s.LIBCLOUD_PROVIDERS['media'],"
        " 'docs': s.WAGTAILDOCS_SERVE_METHOD, 'timeout': s.DATABASES['default']['OPTIONS']['connect_timeout'],"
        " 'proxies': s.ALLAUTH_TRUSTED_PROXY_COUNT}));"
        " import sentry_sdk; print(sentry_sdk.get_client().is_active())",
        DATABASE_REPLICA_URL=f"{PG_ADMIN}/postgres",
        S3_BUCKET="bewigan-media",
        S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        S3_SECRET_ACCESS_KEY="secret",
        S3_ENDPOINT_URL="https://objects.example.org:9000",
        SENTRY_DSN="https://public@sentry.example.org/3",
        TRUSTED_PROXY_COUNT="1",
    )
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.strip().splitlines()
    figures = json.loads(first)
    assert figures["session"] == "django.contrib.sessions.backends.cached_db"
    assert figures["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert figures["dbs"] == ["default", "replica"]
    assert figures["routers"] == ["bewigan.core.db.ReplicaRouter"]
    assert figures["storage"] == "bewigan.core.storage.ObjectStorage"
    assert figures["provider"]["host"] == "objects.example.org"
    assert figures["provider"]["port"] == 9000
    assert figures["provider"]["secure"] is True
    assert figures["docs"] == "serve_view"
    assert figures["timeout"] == 5
    assert figures["proxies"] == 1
    assert second == "True"


def test_object_storage_driver_targets_the_endpoint():
    out = run(
        "from django.core.files.storage import storages; d = storages['default'];"
        " print(type(d).__name__, d.driver.connection.host, d.driver.connection.port, d.bucket)",
        S3_BUCKET="bewigan-media",
        S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        S3_SECRET_ACCESS_KEY="secret",
        S3_ENDPOINT_URL="https://objects.example.org:9000",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["ObjectStorage", "objects.example.org", "9000", "bewigan-media"]
