"""Benchmarks run against their own database (never the demo one):
DATABASE_URL if set, else a scratch SQLite file under /tmp."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bewigan-bench.sqlite3")
os.environ.setdefault("DATA_DIR", "/tmp/bewigan-bench-data")

from bewigan.settings.base import *  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SECURE_SSL_REDIRECT = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
BEWIGAN_MFA_EXEMPT_EMAILS = ["bench@bench.example"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
