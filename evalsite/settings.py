"""Settings for 绩效评价工作台.

Development defaults need no environment at all (SQLite in the project folder,
files under ``media/``, mails on the console). Production (``DJANGO_DEBUG=0``)
never falls back to them: it refuses to start without ``SECRET_KEY``,
``ALLOWED_HOSTS``, ``DATABASE_URL``, a file store (``MEDIA_ROOT`` or
``STORAGE_BACKEND=s3`` with its bucket), a mail server (``EMAIL_HOST``) and the passphrase of the
firms' signing keys (``SIGNING_KEY_PASSPHRASE``).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from evalsite.lib.env import ConfigError, env_bool, env_choice, env_int, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=True)
PRODUCTION = not DEBUG

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ConfigError("SECRET_KEY must be set when DJANGO_DEBUG=0")
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"

if PRODUCTION:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ConfigError("ALLOWED_HOSTS must be set when DJANGO_DEBUG=0 (the host names the site answers to)")
else:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "evalsite",
    "evalsite.accounts",
    "evaluations",
    "surveys",
    "rubrics",
    "reports",
    "audits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "evalsite.accounts.middleware.SlidingSessionMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "evalsite.urls"

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
                "reports.context_processors.notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "evalsite.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_required("DATABASE_URL", "postgres://user:pass@host:5432/evalsite, or sqlite:////path/db.sqlite3")
        if PRODUCTION
        else env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database under concurrency: readers never wait for the writer (WAL), a writer takes
    # the lock when its transaction starts (IMMEDIATE, so it never has to upgrade a read lock and fail),
    # and waits up to SQLITE_TIMEOUT seconds for another writer instead of answering "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): 5 failures for one user name from one address lock that pair for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "evalsite.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "evalsite.accounts.client_ip.client_ip"
# How many reverse proxies in front of the app append to X-Forwarded-For (0: use the socket's address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"  # never served directly: evidence goes out through views that check access

# Uploaded and generated files go through Django's storage API (default_storage / FileField), so the
# local folder can be replaced by an S3-compatible object store shared by several app servers.
STORAGE_BACKEND = env_choice("STORAGE_BACKEND", ("local", "s3"), "local")
if STORAGE_BACKEND == "s3":
    MEDIA_ROOT = None
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            key: value
            for key, value in {
                "bucket_name": env_required("AWS_STORAGE_BUCKET_NAME", "the bucket for uploaded and generated files")
                if PRODUCTION
                else env_str("AWS_STORAGE_BUCKET_NAME"),
                "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),  # MinIO, OSS, COS… leave empty for AWS
                "region_name": env_str("AWS_S3_REGION_NAME"),
                "access_key": env_str("AWS_ACCESS_KEY_ID"),
                "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
                "location": env_str("AWS_LOCATION", ""),
                "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE"),
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            }.items()
            if value is not None
        },
    }
else:
    MEDIA_ROOT = Path(
        env_required("MEDIA_ROOT", "the folder for uploaded and generated files") if PRODUCTION
        else env_str("MEDIA_ROOT", str(BASE_DIR / "media"))
    )
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The passphrase that encrypts every firm's signing key (reports.models.FirmSigningKey) at rest: it lives
# only in the environment, so a copy of the database alone cannot sign a report in a firm's name.
SIGNING_KEY_PASSPHRASE = (
    env_required("SIGNING_KEY_PASSPHRASE", "the passphrase that encrypts the firms' signing keys")
    if PRODUCTION
    else env_str("SIGNING_KEY_PASSPHRASE", "dev-only-signing-passphrase")
)

# Results computed from an evaluation's content (its scores, a rendered preview) are cached under its content
# version and shared by every process: files in CACHE_DIR by default (one machine), or the database
# (CACHE_BACKEND=database, after `manage.py createcachetable`) when several app servers share the work.
CACHE_BACKEND = env_choice("CACHE_BACKEND", ("file", "database"), "file")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("CACHE_DIR", str(BASE_DIR / "cache")),
        "TIMEOUT": 7 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
    if CACHE_BACKEND == "file"
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "evalsite_cache",
        "TIMEOUT": 7 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}

# Background work (rendering reports, drawing charts): a task queue in the database (django-tasks), worked
# by `manage.py db_worker` next to the app servers, on the same database. Tests run tasks as they are queued.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Request bodies other than files; uploaded files are limited by the forms below.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)  # XLSX imports
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)  # 佐证材料
EVIDENCE_EXTENSIONS = (
    ".pdf", ".ofd", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".txt", ".csv",
    ".jpg", ".jpeg", ".png", ".zip", ".rar", ".7z",
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Sessions end after a working day without a request (the middleware slides the expiry at most every
# few minutes, so a page view is not a database write) and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 9 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_REFRESH_SECONDS = 300

# Password reset mails: the console in development; a real mail server in production.
if PRODUCTION:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    EMAIL_HOST = (
        env_required("EMAIL_HOST", "the mail server that sends password reset mails")
        if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
        else env_str("EMAIL_HOST", "localhost")
    )
    DEFAULT_FROM_EMAIL = env_required("DEFAULT_FROM_EMAIL", "the sender of password reset mails")
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
    DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "绩效评价工作台 <noreply@localhost>")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = 20
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # an invitation mail stays valid for three days
#: Where the links in notification mails (reports.notifications) point: the site's first host name in production.
SITE_URL = env_str("SITE_URL", f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")

# Content-Security-Policy, the same in development and production so the browser tests see it: scripts
# and stylesheets only from our static files (no inline <script>, no event-handler attributes, no <style>
# elements); style attributes are allowed because they cannot run code and the report's table widths
# use them. Bootstrap draws its icons from data: SVGs, charts come as data: PNGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are sent only over HTTPS, only to this host and never to a sub-domain.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
