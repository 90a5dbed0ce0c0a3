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
"""

import os
import secrets
from pathlib import Path

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
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_tasks",
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
    "kotacerdas.reports",
    "kotacerdas.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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


if os.environ.get("DATABASE_URL"):
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the apps' static folders when collectstatic has not run (tests, development).
WHITENOISE_USE_FINDERS = True

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kotacerdas",
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

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    CSRF_COOKIE_HTTPONLY = False
    X_FRAME_OPTIONS = "DENY"
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # Behind a TLS-terminating proxy a deployment sets KOTACERDAS_HTTPS=1.
    if _flag("KOTACERDAS_HTTPS"):
        SESSION_COOKIE_SECURE = True
        CSRF_COOKIE_SECURE = True
        SECURE_SSL_REDIRECT = True
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365

# HSTS for subdomains and the browsers' preload list bind every host of the deployer's domain (a
# ministry's go.id domain hosts many other services), so they are the deployer's decision, taken
# at the proxy, not here.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KOTACERDAS_LOG_LEVEL", "WARNING")},
}

# The version of the platform stored with every decision it supports.
from kotacerdas import __version__ as KOTACERDAS_VERSION  # noqa: E402
