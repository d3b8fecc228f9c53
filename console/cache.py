"""The shared cache in the full stack: Django's Redis backend with one client per process.

Django makes a new cache object for every request context, and its Redis backend gives each
object a connection pool of its own and builds a new ``redis.Redis`` for every call. Under
ASGI every request is a new context, so every request opened a new connection to Redis
(connect, handshake, close): about 8% of a worker's time at 100 events/s in ``bench/live.py``.
Here all cache objects of one process with the same settings share one client (redis-py's
clients and pools are thread-safe).
"""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

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
