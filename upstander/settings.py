"""Settings from the environment. Fail closed: DEBUG off, no fallback secret outside the embedded default."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from upstander.env import ConfigError, data_dir, env_bool, env_int, env_list, env_str
from upstander.lib.clock import zone_name_for

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()
POLICY_DIR = Path(env_str("UPSTANDER_POLICY_DIR") or (BASE_DIR.parent / "policy"))
POLICY_PROFILE = env_str("UPSTANDER_POLICY_PROFILE", "england-wales") or "england-wales"

DEBUG = env_bool("UPSTANDER_DEBUG", False)
DEMO_MODE = env_bool("UPSTANDER_DEMO", False)
# Production mode: keys and secrets are provided, never generated (`upstander serve` sets this).
PRODUCTION = env_bool("UPSTANDER_PRODUCTION", False)
TLS = env_bool("UPSTANDER_TLS", PRODUCTION)


def _secret_key() -> str:
    provided = env_str("UPSTANDER_SECRET_KEY")
    if provided:
        if len(provided) < 32:
            raise ConfigError("UPSTANDER_SECRET_KEY must be at least 32 characters")
        return provided
    if PRODUCTION:
        raise ConfigError("UPSTANDER_SECRET_KEY is not set. Set it to a long random value, e.g. "
                          "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`.")
    # Embedded default: a random key kept in the data dir (never a fixed fallback). Reading settings creates
    # nothing: until an installation is set up (migrate, keys init, demo) the key exists only in this process, and
    # setting up keeps it, or the one another process kept first (upstander/installation/setup.py).
    from upstander.lib.keyfiles import existing_secret_key, new_secret_key

    return existing_secret_key(DATA_DIR) or new_secret_key()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("UPSTANDER_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "upstander.audit",
    "upstander.accounts",
    "upstander.people",
    "upstander.reports",
    "upstander.cases",
    "upstander.intake",
    "upstander.safeguarding",
    "upstander.oversight",
    "upstander.insight",
    "upstander.custody",
    "upstander.workspace",
    "upstander.evidence",
    "upstander.operations",
]

MIDDLEWARE = [
    "upstander.lib.middleware.RequestMetricsMiddleware",
    "upstander.lib.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost, so it sees a view's database error first (a retry, or the reporter's "nothing was lost" page).
    "upstander.lib.middleware.ReporterDatabaseAwayMiddleware",
]

ROOT_URLCONF = "upstander.urls"
WSGI_APPLICATION = "upstander.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login"
LOGIN_REDIRECT_URL = "/today/"

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
                "upstander.lib.context.site",
                "upstander.workspace.context.navigation",
            ],
        },
    },
]


# PostgreSQL's JIT compiler costs more than the case queue's queries themselves (docs/benchmarks.md).
_PG_OPTIONS = {"options": "-c jit=off"}


def _databases() -> dict:
    url = env_str("DATABASE_URL")
    if url:
        db = dj_database_url.parse(url, conn_max_age=env_int("UPSTANDER_DB_CONN_MAX_AGE", 0, minimum=0))
        if db["ENGINE"].endswith("postgresql"):
            db.setdefault("OPTIONS", {}).update(_PG_OPTIONS)
        return {"default": db}
    if os.environ.get("PGDATABASE") or os.environ.get("PGHOST"):
        return {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": os.environ.get("PGDATABASE", "upstander"),
                "USER": os.environ.get("PGUSER", ""),
                "PASSWORD": os.environ.get("PGPASSWORD", ""),
                "HOST": os.environ.get("PGHOST", ""),
                "PORT": os.environ.get("PGPORT", ""),
                "OPTIONS": _PG_OPTIONS,
            }
        }
    if PRODUCTION:
        raise ConfigError("No database configured. Set DATABASE_URL=postgres://user:pass@host/db (or the PG* variables).")
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "upstander.sqlite3",
            # BEGIN IMMEDIATE: writers take the lock at the start of a transaction, so concurrent audit appends
            # serialise instead of failing half-way (and the hash chain cannot fork).
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 30},
            "TEST": {"NAME": env_str("UPSTANDER_TEST_SQLITE_NAME")},
        }
    }


DATABASES = _databases()


def _file_store() -> str:
    """Where encrypted uploads are kept (lib/storage.py): in the database whenever it is PostgreSQL, so several app
    hosts share them; in DATA_DIR/store/ for the embedded SQLite installation."""
    chosen = env_str("UPSTANDER_FILE_STORE")
    if chosen and chosen not in ("database", "directory"):
        raise ConfigError(f"UPSTANDER_FILE_STORE={chosen} is not a file store; use database or directory.")
    return chosen or ("database" if DATABASES["default"]["ENGINE"].endswith("postgresql") else "directory")


FILE_STORE = _file_store()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
if env_bool("UPSTANDER_FAST_HASHES", False):
    # Test-only: cheaper Argon2 parameters keep the suite fast. Never set in production (checked in `serve`).
    PASSWORD_HASHERS = ["upstander.accounts.hashers.TestArgon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# The profile's time zone (policy/<profile>/clocks.toml), so Django and the clock count the same days.
TIME_ZONE = zone_name_for(POLICY_DIR, POLICY_PROFILE)
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# Only for an operator who runs collectstatic; WhiteNoise finds files in place otherwise.
STATIC_ROOT = env_str("UPSTANDER_STATIC_ROOT")
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves our own static files from the app processes (no third-party origins, no separate server);
# with WHITENOISE_USE_FINDERS it needs no collectstatic step in the embedded default.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_AGE = env_int("UPSTANDER_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
# A session cookie, not Django's default of a year: on a shared device a CSRF cookie that outlives the browser
# says someone used this site, perhaps the reporting channel (issue 11). It is as strong a check as before: the token
# is the same and the staff session (SESSION_EXPIRE_AT_BROWSER_CLOSE) does not outlive the browser either. No
# CSRF_USE_SESSIONS: that would give every reporter a session row with an exact expiry time.
CSRF_COOKIE_AGE = None
SESSION_COOKIE_SECURE = TLS
CSRF_COOKIE_SECURE = TLS
SECURE_HSTS_SECONDS = 31536000 if TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = TLS
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: browsers send "Origin: null" on form posts under no-referrer, which breaks CSRF
# origin checks; same-origin still sends nothing to any other site (the quick-exit link included).
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Reporter uploads: nothing is ever written to a temporary file in the clear. Files are read in memory up to
# this limit and refused above it (see intake), then encrypted before touching disk.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
UPLOAD_MAX_BYTES = env_int("UPSTANDER_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES * 5 + 1024 * 1024

# Argon2id cost for receipts (memory in KiB). Tests lower it with UPSTANDER_FAST_HASHES.
RECEIPT_ARGON2_OPSLIMIT = env_int("UPSTANDER_RECEIPT_OPSLIMIT", 1 if env_bool("UPSTANDER_FAST_HASHES") else 3, minimum=1)
RECEIPT_ARGON2_MEMLIMIT_KIB = env_int("UPSTANDER_RECEIPT_MEMLIMIT_KIB", 8192 if env_bool("UPSTANDER_FAST_HASHES") else 65536, minimum=8)

# Receipt guessing: one global budget of failed attempts (no IP addresses are kept, so no per-client limit).
INTAKE_RECEIPT_ATTEMPTS_PER_WINDOW = env_int("UPSTANDER_RECEIPT_ATTEMPTS_PER_WINDOW", 60, minimum=1)
INTAKE_RECEIPT_WINDOW_MINUTES = env_int("UPSTANDER_RECEIPT_WINDOW_MINUTES", 10, minimum=1)

# Test suite only: allows the test database to be reset (DELETE of audit rows on SQLite). Never in production.
AUDIT_RESETTABLE = env_bool("UPSTANDER_AUDIT_RESETTABLE", False)

QUICK_EXIT_URL = env_str("UPSTANDER_QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")

# Operations (docs/operations.md). /healthz caches its expensive checks this long per process; /metrics and the
# details of /healthz need this bearer token (unset: /metrics answers 404); per-process request counts are kept in
# METRICS_DIR; a reporter's request meeting a database that is briefly away is retried for up to DB_RETRY_SECONDS.
HEALTH_CACHE_SECONDS = env_int("UPSTANDER_HEALTH_CACHE_SECONDS", 60, minimum=0)
METRICS_TOKEN = env_str("UPSTANDER_METRICS_TOKEN", "") or ""
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ConfigError("UPSTANDER_METRICS_TOKEN must be at least 32 characters (a long random value)")
METRICS_DIR = Path(env_str("UPSTANDER_METRICS_DIR") or (DATA_DIR / "metrics"))
DB_RETRY_SECONDS = env_int("UPSTANDER_DB_RETRY_SECONDS", 4, minimum=0)

# Logging: to stderr, never request lines from reporter paths (no IPs, no user agents are logged anywhere).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Records of refused or failed requests on /report/ paths never reach the handler (intake/log_filters.py).
    "filters": {"no_reporter_paths": {"()": "upstander.intake.log_filters.DropReporterPaths"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "filters": ["no_reporter_paths"]}},
    "root": {"handlers": ["stderr"], "level": env_str("UPSTANDER_LOG_LEVEL", "WARNING")},
    "loggers": {
        # django.request and django.server log the path and client address; silence them (metadata minimisation).
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
    },
}
