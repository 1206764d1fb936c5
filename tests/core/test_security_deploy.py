"""`manage.py check --deploy` with production values reports nothing."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db  # the shared autouse fixture clears the (database) cache


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "bewigan.settings.base",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "bewigan.example.org",
        "DATA_DIR": str(tmp_path),
        # Production refuses SQLite; the checks do not connect.
        "DATABASE_URL": "postgres://bewigan@db.internal:5432/bewigan",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "bewigan.settings.base",
        "DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
