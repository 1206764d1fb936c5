"""Tests: fast hashing, in-memory email, tasks run immediately.

DATABASE_URL still decides the database, so `make test` runs on PostgreSQL
when it points there.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DATA_DIR", "/tmp/bewigan-test-data")

from .base import *  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = "/tmp/bewigan-test-media"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Each test database (one per pytest-xdist worker) carries its own cache, so a
# REDIS_URL in the developer's environment cannot make parallel workers clear
# or read each other's entries.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "bewigan_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
