"""The shared cache: Django's Redis backend with one client per process (the full stack), and
how the small, admin-edited tables asked on every event are kept in it (``cached``,
``cached_forget``).

Django makes a new cache object for every request context, and its Redis backend gives each
object a connection pool of its own and builds a new ``redis.Redis`` for every call. Under
ASGI every request is a new context, so every request opened a new connection to Redis
(connect, handshake, close): about 8% of a worker's time at 100 events/s in ``bench/live.py``.
Here all cache objects of one process with the same settings share one client (redis-py's
clients and pools are thread-safe).
"""

import logging
import threading
from collections.abc import Callable

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction

log = logging.getLogger(__name__)
# A change made around the signals that forget a table (a queryset update in a shell) is picked
# up after this long.
CACHE_SECONDS = 300

_clients: dict = {}
_lock = threading.Lock()


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._redis_clients: dict = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._redis_clients.get(index)
        if client is None:
            with _lock:
                client = self._redis_clients.get(index)
                if client is None:
                    pool = self._get_connection_pool(write)
                    client = self._redis_clients[index] = self._client(connection_pool=pool)
        return client


class SharedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient

    @property
    def _cache(self):
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        client = _clients.get(key)
        if client is None:
            with _lock:
                client = _clients.get(key)
                if client is None:
                    client = _clients[key] = self._class(self._servers, **self._options)
        return client


def cached(key: str, compute: Callable[[], object]):
    """The cached value under ``key``, else ``compute()`` (stored for CACHE_SECONDS). A cache that
    is down (Redis restarting) costs the queries, never an error: the event API asks these on
    every event."""
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - whatever the cache backend raises
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, CACHE_SECONDS)
        except Exception:  # noqa: BLE001 - not cached this time; the next ask computes it again
            log.warning("%s not cached (cache unavailable)", key)
    return value


def _forget(keys: tuple[str, ...]) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001 - the cache is down: it holds nothing to forget then
        log.warning("%s not cleared (cache unavailable); they expire in %s s", ", ".join(keys), CACHE_SECONDS)


def cached_forget(*keys: str) -> None:
    """An admin saved or deleted a row these are made of: forget them now, and again once the
    change is committed (another process may have cached the old rows in between)."""
    _forget(keys)
    transaction.on_commit(lambda: _forget(keys), robust=True)
