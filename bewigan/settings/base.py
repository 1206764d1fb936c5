"""Settings shared by every environment. Secure by default: production is
this module plus environment variables (see the README's configuration table).
"""

import json
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", required=not DEBUG) or "insecure-dev-only-key"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
BEWIGAN_SITE_NAME = "BeWigan"
BEWIGAN_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Project apps first so that their templates override third-party ones.
    "bewigan.core",
    "bewigan.values",
    "bewigan.people",
    "bewigan.partners",
    "bewigan.privacy",
    "recruitment",
    "appraisals",
    "surveys",
    "cms",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # Platform
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: /healthz and /readyz must not depend on sessions or sign-in.
    "bewigan.core.middleware.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bewigan.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before our middleware below: SessionTimeoutMiddleware and
    # RequireMfaMiddleware add messages when they redirect.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "bewigan.privacy.middleware.LeaverSignOutMiddleware",  # leavers signed out at once
    "bewigan.core.middleware.SessionTimeoutMiddleware",
    "bewigan.core.middleware.RequireMfaMiddleware",
    "bewigan.core.middleware.AdminAccessMiddleware",  # 403, not a sign-in loop
    "bewigan.core.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "cms.middleware.WagtailSiteCacheMiddleware",  # intranet: Site lookup kept per worker
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "bewigan.urls"
WSGI_APPLICATION = "bewigan.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bewigan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bewigan.core.context_processors.site",
            ],
            "builtins": ["bewigan.core.templatetags.bewigan"],
        },
    }
]
FORM_RENDERER = "bewigan.core.forms.GovukFormRenderer"

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{DATA_DIR / 'bewigan.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared between processes, because allauth's rate limits and TOTP
# replay protection are silently off with a per-process cache.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "bewigan_cache",
            # Per-person "my work" tokens must not be culled (default 300 entries).
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
# Per worker, never shared: rendered page fragments (keyed by page revision,
# see cms.models.ReviewedPage) and Wagtail's image renditions (Wagtail writes
# the rendition cache on every {% image %}; a shared cache would make that a
# network or database write per image per page view).
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "bewigan-fragments",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "bewigan-renditions",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# --- Sessions -------------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_MAX_AGE", 10 * 60 * 60)  # absolute maximum
BEWIGAN_SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Transport security ---------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy: no inline script or style anywhere in
# our pages. Wagtail's admin ships inline script, so it gets its own policy.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        # NONCE: only base.html's one-line govuk-frontend-supported snippet.
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Passwords and accounts -----------------------------------------------
# Argon2id at OWASP's minimum: ~30 ms of CPU per sign-in instead of ~240 ms
# for PBKDF2, so a morning's sign-ins do not starve page requests
# (bewigan/core/hashers.py). Older PBKDF2 hashes verify, and are rewritten
# as Argon2id at the person's next sign-in.
PASSWORD_HASHERS = [
    "bewigan.core.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Hashing cost grows with a password's length (a 1 MB one took ~3 s): every
# password field refuses longer ones before anything is hashed.
BEWIGAN_PASSWORD_MAX_LENGTH = 256
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "bewigan.core.account_forms.MaximumLengthValidator"},  # first: cheap
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "bewigan.people.adapters.AccountAdapter"
ACCOUNT_FORMS = {  # allauth's own forms, with password fields capped in length
    name: f"bewigan.core.account_forms.{cls}"
    for name, cls in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "reauthenticate": "ReauthenticateForm",
    }.items()
}
SOCIALACCOUNT_ADAPTER = "bewigan.people.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "request_login_code": "20/m/ip,3/m/key",
    "reauthenticate": "10/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[BeWigan] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "BeWigan"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", False)
# Roles that must have MFA before they can use anything (see RequireMfaMiddleware).
BEWIGAN_MFA_REQUIRED_GROUPS = [
    "HR admin",
    "Survey admin",
    "Recruiting manager",
    "Data protection officer",
]
# Accounts exempted from MFA enforcement: empty in production.
BEWIGAN_MFA_EXEMPT_EMAILS: list[str] = []

# Single sign-on through OpenID Connect (for example Microsoft Entra ID).
# SSO_PROVIDERS is a JSON list; each entry pins one partner's tenant:
# [{"id": "wigan-council", "name": "Wigan Council", "tenant_id": "…",
#   "client_id": "…", "secret": "…"}]
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never match accounts on an email claim
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
BEWIGAN_SSO_PROVIDERS = json.loads(env_str("SSO_PROVIDERS", "[]") or "[]")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": p["id"],
                "name": p.get("name", p["id"]),
                "client_id": p["client_id"],
                "secret": p["secret"],
                "settings": {
                    "server_url": p.get(
                        "server_url",
                        f"https://login.microsoftonline.com/{p['tenant_id']}/v2.0",
                    ),
                    # Entra ID: the object id (oid) within the pinned tenant
                    # identifies the person; email claims are never trusted.
                    "uid_field": p.get("uid_field", "oid"),
                    "tenant_id": p.get("tenant_id"),
                    # Take the claims from the ID token: Entra's userinfo
                    # endpoint has neither `oid` nor `tid`.
                    "fetch_userinfo": False,
                },
            }
            for p in BEWIGAN_SSO_PROVIDERS
        ],
    }
}

# --- Email ----------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "BeWigan <no-reply@bewigan.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work ------------------------------------------------------
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Wagtail --------------------------------------------------------------
WAGTAIL_SITE_NAME = "BeWigan"
WAGTAILADMIN_BASE_URL = BEWIGAN_BASE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_USAGE_COUNT_ENABLED = False
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "english"}
}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]

# --- Uploads ----------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
BEWIGAN_IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# An XLSX upload unpacked: 10,000 people are ~6 MB, so 64 MB is room for
# 100,000; a bigger one is refused before parsing (check_xlsx_archive).
BEWIGAN_IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 64 * 1024 * 1024)

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "bewigan" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# en_GB wording overrides: allauth's headings and buttons in sentence case.
LOCALE_PATHS = [BASE_DIR / "bewigan" / "locale"]

# --- Logging: JSON lines with the request id ------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "bewigan.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "bewigan.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": env_str("TASKS_LOG_LEVEL", "WARNING")},
        "wagtail": {"level": "WARNING"},
    },
}

# --- Domain settings ------------------------------------------------------
BEWIGAN_DEMO_MODE = False
# Demo data, in dependency order; each app adds its own seeder.
BEWIGAN_DEMO_SEEDERS = [
    "bewigan.people.demo_data.seed",
    "bewigan.privacy.demo_grants.seed",  # before the capabilities: their admins' reach
    "bewigan.privacy.demo_dpo.seed",  # the data protection officer (subject access)
    "recruitment.demo.seed",
    "surveys.demo.seed",
    "appraisals.demo.seed",
    "bewigan.privacy.demo_retention.seed",
    "bewigan.privacy.demo_sar.seed",
    "bewigan.privacy.demo_leavers.seed",  # a leaver with work to hand over
    "cms.demo.seed",  # last: the intranet reads the others' demo data
]
# Personal data: each app declares its own in one module (subject access
# sections, erasure, retention, leavers, handover, holds); the data
# protection tools (bewigan.privacy) run what is declared and import no
# capability (bewigan/core/personal_data_types.py, docs/privacy/registry.md).
# Core comes last: its erasure step closes the account.
BEWIGAN_PERSONAL_DATA = [
    "bewigan.people.personal_data.DECLARATION",
    "recruitment.personal_data.DECLARATION",
    "appraisals.personal_data.DECLARATION",
    "surveys.personal_data.DECLARATION",
    "cms.personal_data.DECLARATION",
    "bewigan.core.personal_data.DECLARATION",
]
# "My work" on the home page: each capability's selector (see bewigan/core/work.py).
BEWIGAN_MY_WORK_PROVIDERS = [
    "appraisals.selectors.my_work",
    "recruitment.selectors.my_work",
    "surveys.selectors.my_work",
]
# Anonymous answers (surveys, anonymous 360) are sealed to a release key that
# lives in the environment, never in the database (bewigan/core/sealed.py,
# docs/adr/004). By default it is derived from SECRET_KEY; set
# RELEASE_PUBLIC_KEY alone on the web servers and RELEASE_PRIVATE_KEY (with
# it) only where `manage.py release_sealed_answers` runs to keep the web tier
# unable to open them (`manage.py release_sealed_answers --new-key`).
BEWIGAN_RELEASE_PRIVATE_KEY = env_str("RELEASE_PRIVATE_KEY")
BEWIGAN_RELEASE_PUBLIC_KEY = env_str("RELEASE_PUBLIC_KEY")
# What each capability releases when due: called by that command.
BEWIGAN_SEALED_RELEASERS = [
    "surveys.services.waves_release_due",
    "appraisals.services.feedback_rounds_release_closed",
]
# Each worker keeps a person's "my work" this long at most; services say at
# once when they change it (bewigan.core.work.my_work_changed), and saving or
# deleting one of these models (admins, imports) changes everyone's.
BEWIGAN_MY_WORK_CACHE_SECONDS = 300
BEWIGAN_MY_WORK_WATCH = [
    "people.Person",
    "people.TeamMembership",
    "people.Team",
    "recruitment.Vacancy",
    "surveys.Survey",
    "surveys.Wave",
]

# --- Production (docs/deploy.md) ------------------------------------------
# Production is this module with DEBUG off: it refuses SQLite, which is only
# for trying BeWigan out (`make run` uses the dev settings; tests and benches
# have their own modules). ALLOW_SQLITE=true is the explicit escape hatch.
import os  # noqa: E402

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

BEWIGAN_PRODUCTION = (
    not DEBUG and os.environ.get("DJANGO_SETTINGS_MODULE") == "bewigan.settings.base"
)
if (
    BEWIGAN_PRODUCTION
    and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    and not env_bool("ALLOW_SQLITE", False)
):
    raise ImproperlyConfigured(
        "BeWigan in production needs PostgreSQL: set DATABASE_URL=postgres://… "
        "(SQLite is for trying it out with `make run`)."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the database is unreachable, so people get the 503 page
    # instead of a request hanging until the web server's timeout.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DB_CONNECT_TIMEOUT", 5
    )

# A read replica for analytics queries (see bewigan/core/db.py).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES["replica"]["OPTIONS"] = {"connect_timeout": env_int("DB_CONNECT_TIMEOUT", 5)}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["bewigan.core.db.ReplicaRouter"]

# Sessions live in Redis (with the database behind it) when Redis is there,
# so any web server can continue any session.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Behind nginx or a load balancer: how many proxies append to X-Forwarded-For,
# so that allauth's per-IP rate limits see the real client address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Media in S3-compatible object storage when a bucket is configured
# (django-storages' libcloud backend; see bewigan/core/storage.py).
OBJECT_STORAGE_BUCKET = env_str("S3_BUCKET")
if OBJECT_STORAGE_BUCKET:
    from bewigan.core.storage import libcloud_provider  # noqa: E402

    LIBCLOUD_PROVIDERS = {
        "media": libcloud_provider(
            bucket=OBJECT_STORAGE_BUCKET,
            access_key=env_str("S3_ACCESS_KEY_ID", required=True),
            secret_key=env_str("S3_SECRET_ACCESS_KEY", required=True),
            region=env_str("S3_REGION", "eu-west-2"),
            endpoint_url=env_str("S3_ENDPOINT_URL"),
        )
    }
    STORAGES["default"] = {
        "BACKEND": "bewigan.core.storage.ObjectStorage",
        "OPTIONS": {"provider_name": "media"},
    }
    # Documents may be personal: stream them through Django's permission
    # checks rather than handing out bucket URLs.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Error reporting, switched on by one setting (sentry-sdk is imported only then).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from bewigan.core.logging import init_sentry  # noqa: E402

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("RELEASE"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
    )
