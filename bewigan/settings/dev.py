"""Development: `make run`. SQLite, console email, tasks run immediately."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402

ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# Links in emails and the start-up banner follow `make run PORT=...`.
BEWIGAN_BASE_URL = WAGTAILADMIN_BASE_URL = os.environ.get(
    "BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
)

# The demo sign-ins (and only they) may use privileged roles without MFA,
# so that a newcomer can look around. The sign-in page says so.
BEWIGAN_DEMO_MODE = True
from bewigan.people.demo import DEMO_SIGN_INS  # noqa: E402

# The demo data protection officer (bewigan.privacy.demo_dpo) too.
BEWIGAN_MFA_EXEMPT_EMAILS = [s.email for s in DEMO_SIGN_INS] + ["dpo@wigan.gov.uk"]
