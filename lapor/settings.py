"""The only settings file. Every setting comes from an environment variable with a safe default.

Defaults give a working development system on SQLite with no other service. Production sets
DATABASE_URL (PostgreSQL), SECRET_KEY, DEBUG=false and ALLOWED_HOSTS; see docs/deployment.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The development key is refused by a system check when DEBUG is off (lapor/checks.py).
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-insecure-lapor-key-change-me-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Where runtime files live (SQLite database, private uploads). Outside the web root.
VAR_DIR = Path(os.environ.get("LAPOR_VAR_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "lapor.lib",
    "lapor.accounts",
    "lapor.institutions",
    "lapor.workdays",
    "lapor.reports",
    "lapor.api",
    "lapor.portal",
    "lapor.workbench",
    "lapor.notifications",
    "lapor.channels",
    "lapor.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Reference rows read several times per request are read once (lapor/lib/memo.py).
    "lapor.lib.memo.RequestMemoMiddleware",
    # Pages travel compressed (a phone on a slow link). Django masks the CSRF token per
    # response, which is what defuses BREACH-style attacks on compressed pages.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lapor.urls"
WSGI_APPLICATION = "lapor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lapor.accounts.context_processors.roles",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# SQLite by default (zero set-up); PostgreSQL when DATABASE_URL says so.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    # The zero-set-up default: a SQLite file under var/ (created on first use).
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "lapor.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE makes every atomic block take the write lock at BEGIN, so two
                # services racing on one report are serialised instead of failing half-way
                # ("database is locked" on upgrade). The loser then sees the winner's state.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            # A file, not memory: tests of background work run a real `db_worker` process,
            # which must open the same test database.
            # One file per test process, so parallel runs never share (or delete) each other's.
            "TEST": {
                "NAME": os.environ.get(
                    "SQLITE_TEST_PATH", str(VAR_DIR / f"test-lapor-{os.getpid()}.sqlite3")
                )
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Cache --------------------------------------------------------------------------------
# Local memory by default; Redis (shared by every web node) when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work ----------------------------------------------------------------------
# "db": the django-tasks-db queue, drained by `manage.py db_worker`.
# "immediate": run in-process at enqueue time (tests, and single-process debugging).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "db")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TASKS_BACKEND == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

# --- Files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads are private: stored outside the web root and never served by URL; only a view that
# applies reports.privacy may stream them. MEDIA_URL is deliberately not routed anywhere.
MEDIA_ROOT = Path(os.environ.get("LAPOR_MEDIA_ROOT", str(VAR_DIR / "private-media")))
MEDIA_URL = "/_private-media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
LAPOR_MAX_ATTACHMENT_BYTES = env_int("LAPOR_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
LAPOR_MAX_ATTACHMENTS = env_int("LAPOR_MAX_ATTACHMENTS", 5)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)

# --- Security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)

LOGIN_URL = "/akun/masuk/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Failed logins allowed per username and per address within the window, then a wait.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Notifications (lapor.notifications) --------------------------------------------------
# E-mail: the console in development; SMTP as soon as EMAIL_HOST is set (or any backend named
# in EMAIL_BACKEND, e.g. a provider's). SMS: "console" logs messages; "http" posts them to a
# gateway (SMS_HTTP_URL, required then: a system check refuses the setting without it).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds; Django's default (none) lets a stuck SMTP server hold a worker forever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "LAPOR! <noreply@lapor.localhost>")
SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = os.environ.get("SMS_HTTP_TOKEN", "")
SMS_HTTP_TIMEOUT = float(os.environ.get("SMS_HTTP_TIMEOUT") or 10)
# Attempts per message before it is marked failed (visible to admins); the waits between them
# grow 5x from NOTIFY_RETRY_BASE_SECONDS (1 min, 5 min, 25 min, ...), capped at 6 hours.
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 5)
NOTIFY_RETRY_BASE_SECONDS = env_int("NOTIFY_RETRY_BASE_SECONDS", 60)
# An event recorded this long before it is committed is history being replayed (demo data, an
# import of old offline complaints): nobody is told about it.
NOTIFY_MAX_EVENT_AGE_SECONDS = env_int("NOTIFY_MAX_EVENT_AGE_SECONDS", 24 * 3600)
# Links in messages point here (no trailing slash).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# --- End of notifications ------------------------------------------------------------------

# --- Channels, Open311 and webhooks out (lapor.channels, lapor.api.open311) ---------------
# Inbound gateway webhooks (docs/channels.md). A channel listed here answers at
# /channels/<channel>/ and needs its shared secret (a system check refuses it without one);
# every request is signed: X-Lapor-Signature: sha256=HMAC-SHA256(secret, raw body).
CHANNELS_ENABLED = env_list("CHANNELS_ENABLED", "")  # any of: sms,email,whatsapp,social_media
CHANNEL_SMS_SECRET = os.environ.get("CHANNEL_SMS_SECRET", "")
CHANNEL_EMAIL_SECRET = os.environ.get("CHANNEL_EMAIL_SECRET", "")
CHANNEL_WHATSAPP_SECRET = os.environ.get("CHANNEL_WHATSAPP_SECRET", "")
CHANNEL_SOCIAL_MEDIA_SECRET = os.environ.get("CHANNEL_SOCIAL_MEDIA_SECRET", "")
# Largest webhook body accepted (an e-mail with base64 attachments is big).
CHANNEL_MAX_BODY_BYTES = env_int("CHANNEL_MAX_BODY_BYTES", 25 * 1024 * 1024)
# `manage.py fetch_mail`: an IMAP mailbox read as the e-mail channel (IMAP_HOST empty = off).
IMAP_HOST = os.environ.get("IMAP_HOST", "")
IMAP_PORT = env_int("IMAP_PORT", 993)
IMAP_USE_SSL = env_bool("IMAP_USE_SSL", True)
IMAP_USER = os.environ.get("IMAP_USER", "")
IMAP_PASSWORD = os.environ.get("IMAP_PASSWORD", "")
IMAP_MAILBOX = os.environ.get("IMAP_MAILBOX") or "INBOX"
IMAP_TIMEOUT = env_int("IMAP_TIMEOUT", 30)
# Open311 GeoReport v2 (/open311/v2/): one jurisdiction; keys are Open311Client rows
# (`manage.py open311_client create NAME`).
OPEN311_JURISDICTION_ID = os.environ.get("OPEN311_JURISDICTION_ID") or "lapor.go.id"
OPEN311_CONTACT = (
    os.environ.get("OPEN311_CONTACT")
    or "Pengelola SP4N-LAPOR! Nasional, KemenPANRB: api@lapor.go.id"
)
OPEN311_KEY_SERVICE = (
    os.environ.get("OPEN311_KEY_SERVICE")
    or "Kunci API diterbitkan oleh admin nasional: api@lapor.go.id"
)
# Webhooks out: timeout per POST, attempts per delivery, first retry wait (doubling, capped at
# 6 h), failures in a row before a subscription is paused and its owner told.
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS") or 10)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30)
WEBHOOK_PAUSE_AFTER_FAILURES = env_int("WEBHOOK_PAUSE_AFTER_FAILURES", 10)
WEBHOOK_RESPONSE_MAX_CHARS = env_int("WEBHOOK_RESPONSE_MAX_CHARS", 2000)
# Subscribers' URLs must be https on a public address (no SSRF into the government network);
# a test bench or an intranet deployment may relax either, knowingly.
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", False)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
# --- End of channels, Open311 and webhooks out ------------------------------------------------

# --- REST API (lapor.api, /api/v1/) -------------------------------------------------------
# Ninja's bundled Swagger UI assets are served as local static files at /api/v1/docs (no CDN).
INSTALLED_APPS += ["ninja"]
# Report submissions (POST /api/v1/reports) per minute: per token (or logged-in user) and per
# client address (REMOTE_ADDR). Fixed one-minute windows in the cache; 0 switches a limit off.
API_RATE_LIMIT_SUBMIT_PER_MINUTE = env_int("API_RATE_LIMIT_SUBMIT_PER_MINUTE", 120)
API_RATE_LIMIT_SUBMIT_PER_MINUTE_PER_IP = env_int("API_RATE_LIMIT_SUBMIT_PER_MINUTE_PER_IP", 300)
# Largest JSON body, and largest multipart upload, in bytes (413 above; Content-Length based).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1024 * 1024)
API_MAX_UPLOAD_BYTES = env_int(
    "API_MAX_UPLOAD_BYTES", LAPOR_MAX_ATTACHMENTS * LAPOR_MAX_ATTACHMENT_BYTES + 1024 * 1024
)
# Idempotency-Key: how long a first response is kept, and how long a concurrent retry waits
# for it before answering 409 request_in_progress.
API_IDEMPOTENCY_TTL_HOURS = env_int("API_IDEMPOTENCY_TTL_HOURS", 24)
API_IDEMPOTENCY_WAIT_SECONDS = float(os.environ.get("API_IDEMPOTENCY_WAIT_SECONDS") or 5)
# --- End of REST API ----------------------------------------------------------------------
