"""
Settings for vrtual.ly, read from environment variables.

Every variable has a default that works on a developer's machine with no environment at all.
Production sets at least DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, BASE_URL (https) and
FIELD_ENCRYPTION_KEYS; see docs/deploy.md for the full list.
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def envbool(name, default):
    return env(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(env(name, str(default)))


def envlist(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "1")

_DEV_SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105 # nosec B105
SECRET_KEY = env("SECRET_KEY") or _DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY when DEBUG is off.")

# The public address of the site: absolute links in emails and the OAuth redirect URI.
BASE_URL = env("BASE_URL", "http://localhost:8000").rstrip("/")
_base = urlsplit(BASE_URL)
HTTPS = _base.scheme == "https"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS") or [_base.hostname, "localhost", "127.0.0.1"]
CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "integrations",
    "integrations.zoom",
    "bookings",
    "pages",
    "worker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    # Last, so a lockout answer replaces the login view's response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vrtually.urls"
WSGI_APPLICATION = "vrtually.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL says otherwise.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
# Opening a connection costs milliseconds on PostgreSQL and a fair share of a short request on
# SQLite (its pragmas run each time): each web thread and worker keeps its own open (checked
# before reuse, so a restarted server costs one failed request at most), or, with
# DB_POOL_SIZE, a PostgreSQL process shares a psycopg pool of that many connections.
DB_POOL_SIZE = envint("DB_POOL_SIZE", 0) if _POSTGRES else 0
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=0 if DB_POOL_SIZE else envint("DB_CONN_MAX_AGE", 600),
        conn_health_checks=not DB_POOL_SIZE,
    )
}
if DB_POOL_SIZE:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DB_POOL_SIZE,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Take the write lock at BEGIN so concurrent writers queue instead of failing midway,
        # and let readers proceed beside the writer (WAL).
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace"
LOGOUT_REDIRECT_URL = "landing"

# Failed logins are throttled per account and, separately, per client address.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic writes; the end-to-end harness collects into a directory of its own.
STATIC_ROOT = env("STATIC_ROOT") or BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# Email: printed to the console unless an SMTP host (or another backend) is configured.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "vrtual.ly <noreply@vrtual.ly>")
SUPPORT_EMAIL = "care@vrtual.ly"
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "1")
EMAIL_TIMEOUT = 10
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))

# Keys for secrets stored in the database (OAuth tokens), newest first. Old keys keep
# decrypting until `manage.py rotate_encryption_keys` has re-encrypted everything.
FIELD_ENCRYPTION_KEYS = envlist("FIELD_ENCRYPTION_KEYS")
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEYS when DEBUG is off.")
    # Development only: a stable key derived from SECRET_KEY, so no set-up is needed.
    FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(b"field-keys:" + SECRET_KEY.encode()).digest())
    ]

# Background work (emails, Zoom retries): django-tasks with its database backend.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Functions that queue again the work of a worker that died (see worker/sweeps.py), and how
# often the worker runs them.
WORKER_SWEEPS = ["bookings.tasks.sweep", "integrations.zoom.tasks.sweep"]
WORKER_SWEEP_SECONDS = float(env("WORKER_SWEEP_SECONDS", "30"))

# Security. Cookies and HSTS follow the scheme of BASE_URL, so production (https) is strict
# and a laptop on http://localhost still works.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"  # The OAuth callback is a cross-site top-level redirect.
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", "1")
SECURE_HSTS_SECONDS = 63072000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("TRUST_X_FORWARDED_PROTO", "0"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# Zoom. Base URLs point at zoom.us in production and at the Zoom sandbox elsewhere.
ZOOM_OAUTH_BASE_URL = env("ZOOM_OAUTH_BASE_URL", "http://127.0.0.1:8010").rstrip("/")
ZOOM_API_BASE_URL = env("ZOOM_API_BASE_URL", "http://127.0.0.1:8010/v2").rstrip("/")
ZOOM_CLIENT_ID = env("ZOOM_CLIENT_ID", "vrtually-dev-client")
ZOOM_CLIENT_SECRET = env("ZOOM_CLIENT_SECRET", "vrtually-dev-secret")
ZOOM_WEBHOOK_SECRET = env("ZOOM_WEBHOOK_SECRET", "vrtually-dev-webhook-secret")
if not DEBUG and "vrtually-dev" in ZOOM_CLIENT_SECRET + ZOOM_WEBHOOK_SECRET:
    raise ImproperlyConfigured("Set ZOOM_CLIENT_SECRET and ZOOM_WEBHOOK_SECRET when DEBUG is off.")
ZOOM_SCOPES = envlist("ZOOM_SCOPES", "meeting:write,meeting:read")
# Seconds to wait for Zoom: in the background, and inline while a person waits for a page.
ZOOM_HTTP_TIMEOUT = float(env("ZOOM_HTTP_TIMEOUT", "10"))
ZOOM_INLINE_TIMEOUT = float(env("ZOOM_INLINE_TIMEOUT", "4"))
# Zoom's rate limits for the account's plan (Pro by default): calls per second by category,
# and meeting creations plus updates per user per day. Calls queue for a free second up to
# ZOOM_RATE_WAIT seconds (a person waiting gets at most one second).
ZOOM_RATE_LIMITS = {
    "light": envint("ZOOM_RATE_LIMIT_LIGHT", 30),
    "medium": envint("ZOOM_RATE_LIMIT_MEDIUM", 20),
    "daily": envint("ZOOM_RATE_LIMIT_DAILY", 100),
}
ZOOM_RATE_WAIT = float(env("ZOOM_RATE_WAIT", "10"))
# How long a meeting attempt may take before a worker that died with it is assumed dead: longer
# than any attempt (timeouts plus waits for the rate limits), short enough to recover quickly.
ZOOM_MEETING_LEASE_SECONDS = envint("ZOOM_MEETING_LEASE_SECONDS", 120)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        # "Set Up" posts a form that redirects to Zoom's consent page.
        "form-action": [SELF, ZOOM_OAUTH_BASE_URL],
    }
}

LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # httpx logs every request URL at INFO; our Zoom client logs its own calls instead.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # Axes logs every successful login at INFO, which drowns everything else.
        "axes": {"level": "WARNING"},
    },
}
