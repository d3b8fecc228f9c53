"""Settings for Klantbeeld.

One settings module serves both modes. The embedded mode (the default) needs nothing
but Python: SQLite, the in-memory channel layer and Celery tasks run in-process. The full
stack switches on when ``DATABASE_URL`` and ``REDIS_URL`` are set: PostgreSQL, the Redis
channel layer and Celery on Redis. ``console.settings_production`` hardens this module for
deployment.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from redis.connection import parse_url

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env") if (BASE_DIR / ".env").exists() else None

# The default key only exists so the embedded mode starts without configuration; the
# production settings refuse to run without a real one from the environment.
SECRET_KEY = env("SECRET_KEY", default="embedded-mode-insecure-key-do-not-deploy")
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASE_URL = env("DATABASE_URL", default="")
REDIS_URL = env("REDIS_URL", default="")
FULL_STACK = bool(DATABASE_URL and REDIS_URL)

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
    "console.picture",
    "console.dashboard",
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

if DATABASE_URL:
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    # Under ASGI every request may run on another thread, so Django's persistent connections
    # would pile up (one per thread) until PostgreSQL refuses more. A pool per process instead:
    # connections are borrowed per request and handed back.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN", default=2),
        "max_size": env.int("DB_POOL_MAX", default=16),
        "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3")),
            # Writers wait for each other instead of failing with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # A file, not memory, so the live-console browser tests' ASGI server can open it.
            "TEST": {"NAME": env("SQLITE_TEST_PATH", default=str(BASE_DIR / ".test-db.sqlite3"))},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# redis-py's pool raises "Too many connections" past 100 at once (a reconnect storm of
# thousands of consoles gets there); Redis itself takes 10,000 clients.
REDIS_MAX_CONNECTIONS = env.int("REDIS_MAX_CONNECTIONS", default=1000)
# The channel layer of the full stack: Redis pub/sub. A push is one PUBLISH, and each process
# reads everything for its consoles on one subscribed connection. channels_redis' list-based
# layer (channels_redis.core.RedisChannelLayer) costs four round trips per message received,
# one message at a time per process, and under load its consoles died of read timeouts
# (docs/performance.md). Pub/sub does not keep a message for a process that is reconnecting;
# consoles never relied on that: they catch up by seq (docs/live.md).
CHANNEL_LAYER_BACKEND = env("CHANNEL_LAYER_BACKEND", default="console.live.layer.PubSubChannelLayer")
# Pub/sub channels belong to the whole Redis server, not to one of its numbered databases: two
# installations on one server (staging and production on db 1 and db 0) would hear each other's
# pushes, customers' data included. The prefix keeps them apart: by default it names the
# database of REDIS_URL ("klantbeeld0" for redis://host:6379/0).
CHANNEL_PREFIX = env("CHANNEL_PREFIX", default=f"klantbeeld{parse_url(REDIS_URL).get('db', 0) if REDIS_URL else 0}")
if REDIS_URL:
    # Pushes waiting for one console before it is told to reconnect and catch up instead
    # (console/live/layer.py): a page that stopped reading cannot fill the process's memory.
    LIVE_QUEUE_LIMIT = env.int("LIVE_QUEUE_LIMIT", default=1000)
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": CHANNEL_LAYER_BACKEND,
            # health_check_interval: a connection idle for a second is pinged before use, so
            # after a Redis restart dead connections are replaced instead of failing a console.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "max_connections": REDIS_MAX_CONNECTIONS, "health_check_interval": 1}],
                "prefix": CHANNEL_PREFIX,
            }
            # Our layer's own option; channels_redis' layers do not take it.
            | ({"queue_limit": LIVE_QUEUE_LIMIT} if CHANNEL_LAYER_BACKEND.startswith("console.") else {}),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Celery: on Redis in the full stack; in the embedded mode every task runs in-process,
# at the moment it is started, so nothing needs a worker.
# The in-memory broker is named with a host, or kombu warns that none was supplied.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task taken by a worker that died (kill -9, power loss) is delivered again by Redis once its
# visibility_timeout (seconds) has passed; keep that longer than the longest task, or a slow task
# runs twice (ours are safe to). JSON, e.g. the worker-death test's short
# {"visibility_timeout": 2, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}.
CELERY_BROKER_TRANSPORT_OPTIONS = env.json("CELERY_BROKER_TRANSPORT_OPTIONS", default={"visibility_timeout": 3600})
CELERY_TIMEZONE = "Europe/Amsterdam"
# The nightly flag recomputation works through this many consecutive customer ids per transaction.
FLAGS_RECOMPUTE_CHUNK = env.int("FLAGS_RECOMPUTE_CHUNK", default=10_000)
# Hosts credit-approval webhooks may be sent to ("orders.example.nl", or ".example.nl" for its
# subdomains); empty: no webhooks, order systems read the decision with GET.
WEBHOOK_ALLOWED_HOSTS = env.list("WEBHOOK_ALLOWED_HOSTS", default=[])
# The periodic jobs (celery beat in the full stack; `manage.py run_periodic NAME` in the
# embedded mode, or from cron). Every job is idempotent: running one twice changes nothing more.
CELERY_BEAT_SCHEDULE = {
    # Overdue complaints go before the managers, each once (docs/cases.md).
    "complaints-escalate": {"task": "console.cases.tasks.complaints_escalate_overdue_task", "schedule": 300.0},
    # Time alone turns an invoice overdue and an ID document expired: all flags, every night.
    "flags-nightly": {"task": "console.flags.tasks.flags_recompute_all_task", "schedule": crontab(hour=2, minute=0)},
    # Overrides lapse by themselves; this takes the lapsed ones off the badges and out of the history.
    "flags-overrides-lapse": {"task": "console.flags.tasks.flags_overrides_lapse_task", "schedule": 60.0},
    # Invoice statements (docs/messaging.md): daily; sends only on and just after STATEMENT_DAY_OF_MONTH.
    "statements": {"task": "console.messaging.tasks.statements_send_due_task", "schedule": crontab(minute=0, hour=7)},
    # Messages whose task went missing (broker down at commit, worker gone): handed over again / marked unknown.
    "messages-resume-stalled": {"task": "console.messaging.tasks.messages_resume_stalled_task", "schedule": 300.0},
    # Promised callbacks about to be missed: moved to a new window, the customer texted once (docs/callbacks.md).
    "callbacks-about-to-be-missed": {
        "task": "console.callbacks.tasks.callbacks_warn_about_to_be_missed_task",
        "schedule": 60.0,
    },
    # Events whose journeys follow-up task was lost (broker down at commit): heard late (docs/journeys.md).
    "journeys-catch-up": {"task": "console.journeys.tasks.journeys_catch_up_task", "schedule": 300.0},
}

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
LOGIN_REDIRECT_URL = "customers:search"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (console/accounts/lockout.py): five failures lock the username from that
# address for 15 minutes, and ten from any addresses together lock it everywhere, so a guesser
# who rotates addresses gets no further.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_USERNAME_FAILURE_LIMIT = max(env.int("AXES_USERNAME_FAILURE_LIMIT", default=10), AXES_FAILURE_LIMIT)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "console.accounts.lockout.TieredLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "console.accounts.lockout.client_ip"
# The proxies (addresses or networks, comma-separated) whose X-Forwarded-For and
# X-Forwarded-Proto are believed; empty: none, the connecting address is the client's.
# console/asgi.py applies it, so the ASGI server must not read those headers itself (uvicorn:
# --no-proxy-headers, as `make run` and the README's commands do).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

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
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In the embedded mode whitenoise serves straight from the source folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Content security policy: scripts and styles only from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
# A session ends after this many hours without a request from its browser (a request starts the
# count again, saving the session at most every SESSION_REFRESH_SECONDS: accounts/middleware.py);
# its open consoles close then, and their pages say so (docs/live.md).
SESSION_IDLE_HOURS = env.float("SESSION_IDLE_HOURS", default=8)
SESSION_COOKIE_AGE = int(SESSION_IDLE_HOURS * 3600)
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=300)
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"

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

# Product settings.
# Phone numbers people type without a country code are read as numbers of this region.
PHONE_DEFAULT_REGION = env("PHONE_DEFAULT_REGION", default="NL")
# How many timeline entries the customer picture shows per page ("older" loads more).
TIMELINE_PAGE_SIZE = env.int("TIMELINE_PAGE_SIZE", default=30)
# First flag rules (a later issue makes them editable by an admin).

# The shared cache: Redis in the full stack (the API rate limit counts there, across
# processes), process memory in the embedded mode.
if REDIS_URL:
    # One connection pool per process (console/cache.py), not one per request.
    CACHES = {"default": {"BACKEND": "console.cache.SharedRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The event API (docs/api.md).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["console.ingest.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["console.ingest.auth.HasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["console.ingest.payloads.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "console.ingest.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Klantbeeld event API",
    "DESCRIPTION": "How source systems feed the customer picture, and read it back. See docs/api.md.",
    "VERSION": "1.0.0",
    # One name per choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "FlagLevelEnum": "console.flags.models.Flag.Level",
        "CreditDecisionEnum": ["allowed", "needs_approval", "refused"],
        "DecisionAtRequestEnum": ["needs_approval", "refused"],
    },
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# Events per second per token before 429 (0: no limit).
API_RATE_LIMIT_PER_SECOND = env.int("API_RATE_LIMIT_PER_SECOND", default=2000)
# A batch carries up to 500 events; its body may be this large.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("API_BATCH_MAX_BYTES", default=16 * 1024 * 1024)
# Live console (docs/live.md): how often each open console refreshes presence and, when it lacks
# an entry, hears the latest seq; and how many missed entries a reconnecting console is sent
# before it reloads instead.
LIVE_TICK_SECONDS = env.float("LIVE_TICK_SECONDS", default=5.0)
# Seconds the ASGI server's threads hold the interpreter lock before handing it on (Python's
# own default is 0.005); console/asgi.py.
GIL_SWITCH_INTERVAL = env.float("GIL_SWITCH_INTERVAL", default=0.001)
LIVE_REPLAY_LIMIT = env.int("LIVE_REPLAY_LIMIT", default=200)
# What replays may send one console connection per minute before its next replay waits
# (console/live/replay.py; 0: no cap). A reconnect's replay is at most a few hundred KB.
LIVE_REPLAY_BYTES_PER_MINUTE = env.int("LIVE_REPLAY_BYTES_PER_MINUTE", default=1_000_000)
# How many colleagues the presence line names ("Also here: ...").
LIVE_PRESENCE_SHOWN = env.int("LIVE_PRESENCE_SHOWN", default=25)

# Outbound messages and invoice statements (docs/messaging.md).
# E-mail goes through Django's e-mail backend: printed to the console unless EMAIL_BACKEND says
# otherwise (django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST... in production).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Klantenservice <klantenservice@klantbeeld.example>")
# One delivery backend per channel, by dotted path; issue 7 adds SMS and HTTP gateways here.
_OUTBOX = "console.messaging.backends.outbox.OutboxBackend"
MESSAGING_BACKENDS = {
    "email": env("MESSAGING_EMAIL_BACKEND", default="console.messaging.backends.email.DjangoEmailBackend"),
    "post": env("MESSAGING_POST_BACKEND", default="console.messaging.backends.letters.FolderLetterBackend"),
    # console.messaging.backends.http_gateway.HttpGatewayBackend sends through SMS_GATEWAY_URL.
    "sms": env("MESSAGING_SMS_BACKEND", default=_OUTBOX),
    # Social replies: a connector per network (the default leaves them in the outbox folder).
    "twitter": env("MESSAGING_TWITTER_BACKEND", default=_OUTBOX),
    "facebook": env("MESSAGING_FACEBOOK_BACKEND", default=_OUTBOX),
    "instagram": env("MESSAGING_INSTAGRAM_BACKEND", default=_OUTBOX),
    "whatsapp": env("MESSAGING_WHATSAPP_BACKEND", default=_OUTBOX),
}
OUTBOX_DIR = env("OUTBOX_DIR", default=str(BASE_DIR / "var" / "outbox"))
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", default="")
SMS_GATEWAY_TIMEOUT_SECONDS = env.float("SMS_GATEWAY_TIMEOUT_SECONDS", default=10)
# A message the backend could not send for now is tried this many times in all, waiting
# MESSAGE_RETRY_BASE_SECONDS, then twice as long each time (at most 10 minutes).
MESSAGE_MAX_ATTEMPTS = env.int("MESSAGE_MAX_ATTEMPTS", default=5)
MESSAGE_RETRY_BASE_SECONDS = env.float("MESSAGE_RETRY_BASE_SECONDS", default=30)
# Where the folder backend leaves letters for the print room.
LETTERS_DIR = env("LETTERS_DIR", default=str(BASE_DIR / "var" / "letters"))
# Statements go out on this day of the month (a missed run still sends up to STATEMENT_LATE_DAYS
# later), for the calendar month, by these channels.
STATEMENT_DAY_OF_MONTH = env.int("STATEMENT_DAY_OF_MONTH", default=1)
STATEMENT_LATE_DAYS = env.int("STATEMENT_LATE_DAYS", default=3)
STATEMENT_CHANNELS = env.list("STATEMENT_CHANNELS", default=["email", "post"])
# The safety net for messages whose task went missing (messaging.services.messages_resume_stalled).
MESSAGE_REQUEUE_AFTER_MINUTES = env.int("MESSAGE_REQUEUE_AFTER_MINUTES", default=30)
MESSAGE_SENDING_TIMEOUT_MINUTES = env.int("MESSAGE_SENDING_TIMEOUT_MINUTES", default=120)
# Callbacks (docs/callbacks.md): a promised callback whose window ends within this many minutes
# and was not made is moved to a new window, and the customer texted the new time; new windows
# fall within these phone-team hours (every day, in TIME_ZONE).
CALLBACK_WARN_LEAD_MINUTES = env.int("CALLBACK_WARN_LEAD_MINUTES", default=15)
CALLBACK_OPENING_HOURS = env("CALLBACK_OPENING_HOURS", default="08:00-20:00")
# After this many automatic moves a callback nobody made is escalated instead of moved again.
CALLBACK_MAX_MOVES = env.int("CALLBACK_MAX_MOVES", default=2)
