"""The backing services, embedded or full stack: the database, the channel layer, the cache."""

from redis.connection import parse_url

from console.settings_parts.environment import BASE_DIR, DATABASE_URL, REDIS_URL, env

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

# The shared cache: Redis in the full stack (the API rate limit counts there, across
# processes), process memory in the embedded mode.
if REDIS_URL:
    # One connection pool per process (console/cache.py), not one per request.
    CACHES = {"default": {"BACKEND": "console.cache.SharedRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
