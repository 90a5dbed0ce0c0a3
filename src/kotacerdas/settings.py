"""Settings for kotacerdas.

One module for every deployment. Each choice a deployment makes comes from an environment
variable with a safe default, so the demo, the test suite and a production server differ only in
their environment:

- ``DATABASE_URL``: PostgreSQL (``postgres://user@host:5432/name``); unset means the embedded
  SQLite database under ``KOTACERDAS_VAR_DIR``.
- ``KOTACERDAS_DEBUG``: ``1`` turns on Django's debug mode (never in production).
- ``KOTACERDAS_SECRET_KEY``: required on a shared deployment; the demo keeps a generated key in
  ``var/secret_key``.
- ``KOTACERDAS_ALLOWED_HOSTS``: comma-separated host names.
- ``KOTACERDAS_VAR_DIR``: where the SQLite database, uploaded files and collected static files
  live (default ``./var``).
- ``KOTACERDAS_STORAGE_URL``: where uploaded and produced files go. Unset: ``VAR_DIR/media``;
  ``file:///srv/kotacerdas/media``: that folder; ``s3://bucket?endpoint_url=https://...&region_name=...``:
  an S3 bucket through django-storages (credentials from ``AWS_ACCESS_KEY_ID`` and
  ``AWS_SECRET_ACCESS_KEY``).
- ``KOTACERDAS_METRICS_NETWORKS``: comma-separated networks (``10.0.0.0/8``) whose machines may read
  ``/metrics`` without logging in (the ministry always may).
- ``KOTACERDAS_WORKER_HEARTBEAT``, ``KOTACERDAS_WORKER_TIMEOUT``, ``KOTACERDAS_TASK_MAX_ATTEMPTS``:
  seconds between a task worker's heartbeats, seconds of silence after which it counts as dead,
  and how often a task of a dead worker is tried (see ``kotacerdas.lib.jobs``).

``deploy/README.md`` lists them all with a production example.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("KOTACERDAS_VAR_DIR", Path.cwd() / "var")).resolve()


def _flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key():
    key = os.environ.get("KOTACERDAS_SECRET_KEY")
    if key:
        return key
    # The demo and developer machines keep one generated key so sessions survive a restart.
    key_file = VAR_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        return key


DEBUG = _flag("KOTACERDAS_DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("KOTACERDAS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # django-ninja's own Swagger UI files (static/ninja/), so /api/v1/docs needs no CDN.
    "ninja",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_tasks",
    "csp",
    # Before django_tasks_db: its ``db_worker`` command (with heartbeats) replaces the library's.
    "kotacerdas.lib.jobs",
    "django_tasks_db",
    # The program's stages, in the order their imports run (see tests/test_layers.py).
    "kotacerdas.regions",
    "kotacerdas.accounts",
    "kotacerdas.program",
    "kotacerdas.indicators",
    "kotacerdas.screening",
    "kotacerdas.questionnaires",
    "kotacerdas.assessment",
    "kotacerdas.mentoring",
    "kotacerdas.masterplans",
    "kotacerdas.evaluation",
    "kotacerdas.reports",
    "kotacerdas.site",
]

MIDDLEWARE = [
    # First: every later log line of the request carries its id; the latency covers everything.
    "kotacerdas.lib.observability.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "kotacerdas.middleware.PermissionsPolicyMiddleware",
    "kotacerdas.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kotacerdas.middleware.ExplicitLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kotacerdas.urls"
WSGI_APPLICATION = "kotacerdas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite: WAL lets readers go on while one writer writes; a busy timeout and immediate
# transactions make concurrent writers wait for the lock instead of failing half-way.
SQLITE_PATH = VAR_DIR / "kotacerdas.sqlite3"


def sqlite_database(path):
    """The embedded database: WAL lets readers go on while one writer writes; a busy timeout
    and immediate transactions make concurrent writers wait for the lock instead of failing."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


if os.environ.get("DATABASE_URL", "").startswith("sqlite:"):
    # A SQLite file elsewhere (several app servers on one machine share it), with the same options.
    DATABASES = {"default": sqlite_database(Path(unquote(urlsplit(os.environ["DATABASE_URL"]).path)))}
elif os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {"default": sqlite_database(SQLITE_PATH)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Bahasa Indonesia first; English on request (the switch in every page's header).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# Absolute time in the database; shown in the region's own zone (WIB, WITA, WIT) where it matters.
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# WhiteNoise warns at start-up when this is missing (before the first collectstatic).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"


def storage_from_url(url):
    """Django's ``STORAGES["default"]`` for ``KOTACERDAS_STORAGE_URL`` (see the module docstring)."""
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme == "file":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": unquote(parts.path)}}
    if parts.scheme == "s3":
        options = dict(parse_qsl(parts.query))
        known = {"endpoint_url", "region_name", "location", "addressing_style", "signature_version"}
        unknown = set(options) - known
        if not parts.netloc or unknown:
            raise ValueError(f"KOTACERDAS_STORAGE_URL: give s3://BUCKET?{'&'.join(sorted(known))}; unknown: {sorted(unknown)}")
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            # Never overwrite a stored file and never hand out public links: every download goes
            # through a view that checks permission.
            "OPTIONS": {"bucket_name": parts.netloc, "file_overwrite": False, "default_acl": None,
                        "querystring_auth": True, **options},
        }
    raise ValueError("KOTACERDAS_STORAGE_URL must start with file:// or s3://")


STORAGES = {
    "default": storage_from_url(os.environ.get("KOTACERDAS_STORAGE_URL", "")),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the apps' static folders when collectstatic has not run (tests, development).
WHITENOISE_USE_FINDERS = True

# In the database, so every app server sees the same entries (a per-process cache would show
# each server its own); the table is made by the jobs app's migration.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kotacerdas_cache",
    }
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "reports:home"

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins are counted in the database (shared by every app server) per username and
# address; five failures lock that pair out for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("KOTACERDAS_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# One row per failed login (the failed-login metric counts them across every app server).
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Throttles django-axes does not cover (kotacerdas.accounts.throttle): (attempts, window in
# seconds) per client address. Bad API tokens: as many as failed logins before a lock-out, for as
# long. Password-reset requests: a few an hour, each of which sends an e-mail.
KOTACERDAS_THROTTLES = {
    "bad_token": (int(os.environ.get("KOTACERDAS_TOKEN_FAILURE_LIMIT", 10)), 60 * 60),
    "password_reset": (int(os.environ.get("KOTACERDAS_PASSWORD_RESET_LIMIT", 5)), 60 * 60),
}

# A working day of eight hours; KOTACERDAS_SESSION_AT_BROWSER_CLOSE=1 also ends it with the browser.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = _flag("KOTACERDAS_SESSION_AT_BROWSER_CLOSE")

# E-mail: the console in the demo and on developer machines; SMTP (or another backend) by setting
# KOTACERDAS_EMAIL_BACKEND and Django's EMAIL_HOST... variables.
EMAIL_BACKEND = os.environ.get("KOTACERDAS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("KOTACERDAS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("KOTACERDAS_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("KOTACERDAS_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KOTACERDAS_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("KOTACERDAS_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("KOTACERDAS_FROM_EMAIL", "kotacerdas <noreply@kotacerdas.invalid>")
# The address that invitation links point to when no request gives it (the import command).
KOTACERDAS_BASE_URL = os.environ.get("KOTACERDAS_BASE_URL", "http://127.0.0.1:8000")

# Background work (e-mails) runs in `kotacerdas db_worker`, which reads tasks from the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
KOTACERDAS_WORKER_HEARTBEAT = float(os.environ.get("KOTACERDAS_WORKER_HEARTBEAT", 5))
KOTACERDAS_WORKER_TIMEOUT = float(os.environ.get("KOTACERDAS_WORKER_TIMEOUT", 60))
KOTACERDAS_TASK_MAX_ATTEMPTS = int(os.environ.get("KOTACERDAS_TASK_MAX_ATTEMPTS", 2))

# Who may read /metrics without logging in as the ministry (the Prometheus server's network).
KOTACERDAS_METRICS_NETWORKS = [n.strip() for n in os.environ.get("KOTACERDAS_METRICS_NETWORKS", "").split(",") if n.strip()]

# Headers on every response, in debug mode too (so that what a developer sees is what runs):
# no framing, no type sniffing, the referrer only to this site, no powerful browser features.
SESSION_COOKIE_HTTPONLY = True
# The CSRF token is read from the form, never by a script; the cookie can stay out of reach.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# kotacerdas.middleware.PermissionsPolicyMiddleware: the pages use none of these features.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)

# Request bodies: a form or JSON body up to Django's 2.5 MB; a file upload up to the largest
# kind of file (evidence, 10 MB; see each kind's own limit) and the form around it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_MAX_BYTES = 12 * 1024 * 1024

# Content Security Policy (django-csp 4). Scripts only from this site (htmx is served from the
# static files; the pages carry no inline script and no on...= handler, which a test checks).
# Inline styles stay allowed (the map's legend swatches, the questionnaire's indentation and the
# SVG charts' own <style>): styles run no code. Nothing may frame the pages; forms post only here.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Server-rendered SVG charts (lib/svg.py) carry their own <style>; styles cannot run code.
        "style-src-elem": [SELF, "'unsafe-inline'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Behind a TLS-terminating proxy a deployment sets KOTACERDAS_HTTPS=1: cookies only over TLS,
# HSTS for a year, plain HTTP redirected.
if _flag("KOTACERDAS_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

# HSTS for subdomains and the browsers' preload list bind every host of the deployer's domain (a
# ministry's go.id domain hosts many other services), so they are the deployer's decision, taken
# at the proxy, not here.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# One JSON object per line (time, level, logger, message, request id, user id), for journald and
# any log collector; KOTACERDAS_LOG_FORMAT=text gives plain lines on a developer's terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "kotacerdas.lib.observability.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "kotacerdas.lib.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "text" if os.environ.get("KOTACERDAS_LOG_FORMAT") == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("KOTACERDAS_LOG_LEVEL", "WARNING")},
    "loggers": {"kotacerdas.requests": {"level": os.environ.get("KOTACERDAS_REQUEST_LOG_LEVEL", "INFO")}},
}

# The version of the platform stored with every decision it supports.
from kotacerdas import __version__ as KOTACERDAS_VERSION  # noqa: E402
