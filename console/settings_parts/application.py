"""The Django project itself: apps, middleware, URLs, templates, language, static files, logging."""

from console.settings_parts.environment import BASE_DIR, DEBUG, env
from console.settings_parts.privacy import PRIVACY_EXPORT_ROOT

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "channels",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "console.ui",
    "console.accounts",
    "console.customers",
    "console.timeline",
    "console.commerce",
    "console.cases",
    "console.journeys",
    "console.callbacks",
    "console.flags",
    "console.messaging",
    "console.ingest",
    "console.live",
    "console.queues",
    "console.conversations",
    "console.picture",
    "console.dashboard",
    "console.privacy",
    "console.demo",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    # First, so that the database or Redis down anywhere below answers 503 with Retry-After (console/errors.py).
    "console.errors.ServiceDownMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "console.accounts.middleware.LoginRequiredMiddleware",
    "console.accounts.middleware.SessionIdleMiddleware",
    # Axes goes last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "console.urls"
ASGI_APPLICATION = "console.asgi.application"
WSGI_APPLICATION = None

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
                "console.accounts.context_processors.roles",
            ],
        },
    },
]

# The console speaks English for now; dates and amounts are written the Dutch way in
# templates. (A Dutch translation of the interface is a later step.)
LANGUAGE_CODE = "en"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Customers' data exports (docs/privacy.md): a folder no URL serves.
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVACY_EXPORT_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In the embedded mode whitenoise serves straight from the source folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"timed": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"client_errors_on_one_line": {"()": "console.errors.ClientErrorsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "timed"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        # Django's own handlers (its debug-mode console, mail to ADMINS) would print each record
        # a second time beside the root's.
        "django": {"handlers": [], "propagate": True},
        # A 403 or 404 is one line with its reason, not a traceback (console/errors.py).
        "django.request": {"filters": ["client_errors_on_one_line"]},
        # DEBUG: every connection, resume, push and tick of each console (docs/live.md), to trace
        # a page that did not show something.
        "console.live": {"level": env("LIVE_LOG_LEVEL", default="NOTSET")},
    },
}
