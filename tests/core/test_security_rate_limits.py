"""allauth's rate limits are on, and they live in a cache that every
process shares (a per-process cache silently switches them off)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.core.signin import csrf_client, csrf_token, signed_in_user_id
from tests.people.factories import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_default_cache_is_shared_between_processes():
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend == "django.core.cache.backends.db.DatabaseCache"
    assert "locmem" not in backend.lower() and "dummy" not in backend.lower()


def load_base_settings(**env) -> dict:
    """Import production settings in a fresh process with the given env."""
    code = (
        "import json, bewigan.settings.base as s;"
        "print(json.dumps({'CACHES': s.CACHES, 'SOCIAL': s.SOCIALACCOUNT_PROVIDERS,"
        " 'EMAIL_AUTH': s.SOCIALACCOUNT_EMAIL_AUTHENTICATION,"
        " 'AUTO_CONNECT': s.SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT,"
        " 'RATE': s.ACCOUNT_RATE_LIMITS}))"
    )
    full_env = {
        "PATH": os.environ.get("PATH", ""),
        "SECRET_KEY": "x" * 60,
        "DATA_DIR": "/tmp/bewigan-settings-check",
        **env,
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_production_cache_is_database_or_redis():
    assert load_base_settings()["CACHES"]["default"]["BACKEND"].endswith("DatabaseCache")
    with_redis = load_base_settings(REDIS_URL="redis://cache.internal:6379/0")
    assert with_redis["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/0",
    }


def test_login_failed_limit_trips_after_configured_failures(staff):
    limit = settings.ACCOUNT_RATE_LIMITS["login_failed"]
    per_key = int(limit.split(",")[1].split("/")[0])  # "5/5m/key"
    client = csrf_client()
    token = csrf_token(client)
    for _ in range(per_key):
        wrong = client.post(
            "/accounts/login/",
            {"login": staff.email, "password": "wrong-password", "csrfmiddlewaretoken": token},
        )
        assert wrong.status_code == 200
        assert "Too many failed login attempts" not in wrong.content.decode()
    # Now even the right password is refused.
    blocked = client.post(
        "/accounts/login/",
        {"login": staff.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert "Too many failed login attempts" in blocked.content.decode()
    assert signed_in_user_id(client) is None


def test_failures_for_one_account_do_not_lock_another(staff, colleague):
    client = csrf_client()
    token = csrf_token(client)
    for _ in range(5):
        client.post(
            "/accounts/login/",
            {"login": staff.email, "password": "wrong-password", "csrfmiddlewaretoken": token},
        )
    other = csrf_client()
    token = csrf_token(other)
    ok = other.post(
        "/accounts/login/",
        {"login": colleague.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert ok.status_code == 302
    assert signed_in_user_id(other) == str(colleague.pk)


def test_rate_limits_are_configured():
    limits = settings.ACCOUNT_RATE_LIMITS
    for key in ("login_failed", "login", "signup", "reset_password", "request_login_code"):
        assert limits.get(key), key
    assert getattr(settings, "ACCOUNT_RATE_LIMITS", None) is not False
