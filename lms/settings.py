"""Settings, read from the environment.

With no environment set, HọcSố runs in its embedded default: a SQLite file database,
Celery tasks run inline, DEBUG on. ``DATABASE_URL`` and ``CELERY_BROKER_URL`` switch to
PostgreSQL and Redis (see README.md and docker-compose.yml).
"""

import os
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

EMBEDDED = "DATABASE_URL" not in os.environ and "CELERY_BROKER_URL" not in os.environ

DEBUG = env.bool("DJANGO_DEBUG", default=EMBEDDED)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="embedded-development-key-not-for-production" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The platform's public address: used for absolute links (QR codes on certificates)
# and as the xAPI account home page of every learner.
SITE_URL = env("HOCSO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "HọcSố"

INSTALLED_APPS = [
    # project apps
    "lms.org",
    "lms.records",
    "courses",
    "assessments",
    "certificates",
    "lms.community",
    "lms.assignments",
    "lms.reports",
    "lms.setup",
    # wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.table_block",
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
    # scheduling
    "django_celery_beat",
    # the coverage API
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML compressed on the way out (static files come compressed from WhiteNoise, above
    # it, so they are never compressed twice). Placed before every middleware that reads or
    # writes the body, as Django's docs ask. BREACH: since Django 4.2 GZipMiddleware pads
    # each compressed response with random bytes ("Heal The BREACH"), and CSRF tokens are
    # masked per response anyway.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.ChosenLanguageMiddleware",
    "lms.lowdata.LowDataMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lms.lowdata.low_data",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections (a new PostgreSQL backend per request costs milliseconds), checked
# before reuse; server-side parameter binding spares psycopg quoting every value in Python.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "server_side_binding", env.bool("DATABASE_SERVER_SIDE_BINDING", default=True))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "courses:my_learning"
LOGOUT_REDIRECT_URL = "/"

# Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "lms" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "lms" / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # hashed names and long-term caching once `collectstatic` has run (production)
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("DJANGO_STATIC_MANIFEST", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not env.bool("DJANGO_STATIC_MANIFEST", default=False)

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]  # diagrams as SVG
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip",
                          "mp4", "webm", "vtt"]  # lesson videos and their captions
# Served with their own types whatever the host's MIME table says (a <track> needs text/vtt),
# and inline, so that a video link plays in the browser instead of downloading.
WAGTAILDOCS_CONTENT_TYPES = {"vtt": "text/vtt", "mp4": "video/mp4", "webm": "video/webm"}
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/vtt", "video/mp4", "video/webm"]

# Celery: inline in the embedded default, Redis workers when CELERY_BROKER_URL is set.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default="CELERY_BROKER_URL" not in os.environ
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="hocso")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # TLS ends at the proxy in front of gunicorn; turn these on once it serves HTTPS only.
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
    SILENCED_SYSTEM_CHECKS = [] if SECURE_SSL_REDIRECT else ["security.W004", "security.W008"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # one line per background search-index update is noise
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # a failed trust check of an uploaded PDF is an answer, not an incident
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}

# xAPI: learners are accounts on this home page, named by an opaque id; our activities
# are IRIs under this base. Both must stay the same for the life of the records.
XAPI_ACCOUNT_HOMEPAGE = env("HOCSO_XAPI_ACCOUNT_HOMEPAGE", default=SITE_URL)
XAPI_ACTIVITY_BASE = env("HOCSO_XAPI_ACTIVITY_BASE", default=SITE_URL).rstrip("/")

# Forwarding (optional): a copy of every new statement is POSTed to this external LRS (its
# xAPI root, e.g. https://lrs.example.vn/xapi/) by a retrying Celery queue. Empty: off.
XAPI_FORWARD_URL = env("HOCSO_XAPI_FORWARD_URL", default="")
XAPI_FORWARD_USERNAME = env("HOCSO_XAPI_FORWARD_USERNAME", default="")
XAPI_FORWARD_PASSWORD = env("HOCSO_XAPI_FORWARD_PASSWORD", default="")

# The coverage API for other government systems: token authentication only (no session, so
# no CSRF surface), JSON only, documented by an OpenAPI schema.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "HọcSố coverage API",
    "DESCRIPTION": "Training coverage per agency against the national targets, scoped to "
                   "the token holder's agency subtree.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# E-mail (expiry reminders): printed to the console unless EMAIL_URL names a server,
# e.g. smtp+tls://user:password@smtp.example.vn:587
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="HọcSố <no-reply@hocso.local>")

# Certificates: the issuing authority's signing key (ECDSA P-256, PEM) and its X.509
# certificate. `manage.py certificates_dev_key` writes a development pair at the defaults;
# in production point these at the real ones (an authority may also name its own).
HOCSO_SIGNING_KEY = env.path("HOCSO_SIGNING_KEY", default=BASE_DIR / "var" / "keys" /
                             "signing-key.pem")
HOCSO_SIGNING_CERT = env.path("HOCSO_SIGNING_CERT", default=BASE_DIR / "var" / "keys" /
                              "signing-cert.pem")
HOCSO_SIGNING_KEY_PASSWORD = env("HOCSO_SIGNING_KEY_PASSWORD", default="")
# largest PDF accepted by the public "is this file genuine?" check
HOCSO_VERIFY_UPLOAD_MAX_BYTES = env.int("HOCSO_VERIFY_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# Staff lists (roster imports): largest upload, most people per file, and how much an XLSX
# may unpack to (a zip bomb is refused before it is read).
HOCSO_ROSTER_MAX_BYTES = env.int("HOCSO_ROSTER_MAX_BYTES", default=20 * 1024 * 1024)
HOCSO_ROSTER_MAX_ROWS = env.int("HOCSO_ROSTER_MAX_ROWS", default=100_000)
HOCSO_ROSTER_MAX_UNZIPPED_BYTES = env.int("HOCSO_ROSTER_MAX_UNZIPPED_BYTES",
                                          default=200 * 1024 * 1024)
XAPI_FORWARD_VERSION = env("HOCSO_XAPI_FORWARD_VERSION", default="1.0.3")
XAPI_FORWARD_BATCH = env.int("HOCSO_XAPI_FORWARD_BATCH", default=100)
XAPI_FORWARD_TIMEOUT = env.float("HOCSO_XAPI_FORWARD_TIMEOUT", default=10.0)  # seconds

# Quizzes: how long after a deadline an answer still counts (the network's allowance).
ASSESSMENT_GRACE_SECONDS = env.int("HOCSO_ASSESSMENT_GRACE_SECONDS", default=5)

# Assignments: learners with an open required course are reminded this many days before
# its due date, then the day after it and every HOCSO_ASSIGNMENT_OVERDUE_EVERY_DAYS days
# while it stays overdue (one e-mail a day at most, listing all their open items). HR
# managers' weekly overdue digest lists the first HOCSO_ASSIGNMENT_DIGEST_PEOPLE people.
HOCSO_ASSIGNMENT_REMINDER_DAYS = env.list("HOCSO_ASSIGNMENT_REMINDER_DAYS", cast=int,
                                          default=[14, 7, 3, 1])
HOCSO_ASSIGNMENT_OVERDUE_EVERY_DAYS = env.int("HOCSO_ASSIGNMENT_OVERDUE_EVERY_DAYS", default=7)
HOCSO_ASSIGNMENT_DIGEST_PEOPLE = env.int("HOCSO_ASSIGNMENT_DIGEST_PEOPLE", default=20)
