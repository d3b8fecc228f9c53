"""Who is looking at a customer right now: a registry every console writes itself into.

In the full stack it lives in Redis (a sorted set of connections by last-seen time plus a
hash of who they are), so consoles on every process see each other; in the embedded mode
it is a dict in the one process. A console refreshes its own line every tick; one that
stops doing so (closed, crashed, its process killed) drops out after ``stale_after``.
Reads return at most ``limit`` viewers, so the cost stays flat with thousands watching.
"""

import asyncio
import json
import time

from django.conf import settings
from redis.exceptions import RedisError

# What Redis being away raises: redis-py's own errors, the socket's when connecting, and the
# AttributeError redis-py raises when a command meets a connection torn down under it.
REDIS_DOWN = (RedisError, OSError, AttributeError)


class MemoryPresence:
    def __init__(self):
        self.rooms: dict[int, dict[str, tuple[float, dict]]] = {}

    async def touch(self, customer_id: int, conn: str, info: dict) -> int:
        room = self.rooms.setdefault(customer_id, {})
        room[conn] = (time.time(), info)
        return len(room)

    async def leave(self, customer_id: int, conn: str) -> int:
        room = self.rooms.get(customer_id, {})
        room.pop(conn, None)
        return len(room)

    async def viewers(self, customer_id: int, *, stale_after: float, limit: int) -> list[tuple[str, dict]]:
        room = self.rooms.get(customer_id, {})
        cutoff = time.time() - stale_after
        for conn in [c for c, (seen, _) in room.items() if seen < cutoff]:
            del room[conn]
        recent = sorted(room.items(), key=lambda item: -item[1][0])[:limit]
        return [(conn, info) for conn, (_, info) in recent]

    async def tick(
        self, rooms: dict[int, list[tuple[str, dict]]], *, stale_after: float, limit: int
    ) -> dict[int, list[tuple[str, dict]]]:
        for customer_id, lines in rooms.items():
            for conn, info in lines:
                await self.touch(customer_id, conn, info)
        return {c: await self.viewers(c, stale_after=stale_after, limit=limit) for c in rooms}


class RedisPresence:
    def __init__(self, url: str):
        import redis.asyncio as redis

        self.redis = redis.from_url(url, max_connections=settings.REDIS_MAX_CONNECTIONS, health_check_interval=1)
        self._scripts = {}

    @staticmethod
    def _keys(customer_id: int) -> tuple[str, str]:
        return f"klantbeeld:presence:seen:{customer_id}", f"klantbeeld:presence:info:{customer_id}"

    async def touch(self, customer_id: int, conn: str, info: dict) -> int:
        seen, about = self._keys(customer_id)
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zadd(seen, {conn: time.time()})
            pipe.hset(about, conn, json.dumps(info))
            pipe.expire(seen, PRESENCE_TTL)
            pipe.expire(about, PRESENCE_TTL)
            pipe.zcard(seen)
            result = await pipe.execute()
        return result[-1]

    async def leave(self, customer_id: int, conn: str) -> int:
        seen, about = self._keys(customer_id)
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zrem(seen, conn)
            pipe.hdel(about, conn)
            pipe.zcard(seen)
            result = await pipe.execute()
        return result[-1]

    async def viewers(self, customer_id: int, *, stale_after: float, limit: int) -> list[tuple[str, dict]]:
        flat = await self._script(VIEWERS_LUA)(keys=self._keys(customer_id), args=[time.time() - stale_after, limit])
        return self._pairs(flat)

    async def tick(
        self, rooms: dict[int, list[tuple[str, dict]]], *, stale_after: float, limit: int
    ) -> dict[int, list[tuple[str, dict]]]:
        """Each console of ``rooms`` (customer: its consoles' lines in this process) refreshes
        its line, and each customer's viewers are read back: one script call for all of them.
        The ticker's refresh was four commands per console, which redis-py packed and parsed
        one by one: most of a tick's cost, and a stall for every request waiting behind it."""
        now = time.time()
        keys, args = [], [now, now - stale_after, limit, PRESENCE_TTL]
        for customer_id, lines in rooms.items():
            keys.extend(self._keys(customer_id))
            args.append(len(lines))
            for conn, info in lines:
                args.extend((conn, json.dumps(info)))
        found = await self._script(TICK_LUA)(keys=keys, args=args)
        return {customer_id: self._pairs(flat) for customer_id, flat in zip(rooms, found, strict=True)}

    @staticmethod
    def _pairs(flat: list[bytes]) -> list[tuple[str, dict]]:
        return [(c.decode(), json.loads(i)) for c, i in zip(flat[::2], flat[1::2], strict=True)]

    def _script(self, source: str):
        if source not in self._scripts:
            self._scripts[source] = self.redis.register_script(source)
        return self._scripts[source]


# A line nobody refreshes any more (its process is gone) is dropped by the next read after
# stale_after; the keys themselves go an hour after the customer's last console.
PRESENCE_TTL = 3600

# Lua: the viewers of one customer. Drops its stale lines, returns {conn, info, conn, info,
# ...}, most recently seen first, at most ``limit`` of them.
_VIEWERS_FN = """
local function viewers(seen, about, cutoff, limit)
  local stale = redis.call('ZRANGEBYSCORE', seen, '-inf', cutoff, 'LIMIT', 0, 100)
  if #stale > 0 then
    redis.call('ZREM', seen, unpack(stale))
    redis.call('HDEL', about, unpack(stale))
  end
  local conns = redis.call('ZREVRANGEBYSCORE', seen, '+inf', '(' .. cutoff, 'LIMIT', 0, limit)
  local out = {}
  if #conns == 0 then return out end
  local infos = redis.call('HMGET', about, unpack(conns))
  for i, conn in ipairs(conns) do
    if infos[i] then
      out[#out + 1] = conn
      out[#out + 1] = infos[i]
    end
  end
  return out
end
"""

# KEYS: the seen set, the info hash; ARGV: the cutoff time, the most to return.
VIEWERS_LUA = _VIEWERS_FN + "return viewers(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2]))"

# KEYS: each customer's seen set and info hash; ARGV: now, the cutoff time, the most to
# return, the keys' time to live, then for each customer the number of its lines and each
# line's conn and info. Returns each customer's viewers, in the order of KEYS.
TICK_LUA = (
    _VIEWERS_FN
    + """
local now, cutoff, limit, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local a, found = 5, {}
for k = 1, #KEYS, 2 do
  local seen, about = KEYS[k], KEYS[k + 1]
  for _ = 1, tonumber(ARGV[a]) do
    redis.call('ZADD', seen, now, ARGV[a + 1])
    redis.call('HSET', about, ARGV[a + 1], ARGV[a + 2])
    a = a + 2
  end
  a = a + 1
  redis.call('EXPIRE', seen, ttl)
  redis.call('EXPIRE', about, ttl)
  found[#found + 1] = viewers(seen, about, cutoff, limit)
end
return found
"""
)


_memory = MemoryPresence()
_redis_by_loop: dict = {}


def registry():
    """The process's registry; a Redis client belongs to the event loop that made it."""
    if not settings.REDIS_URL:
        return _memory
    loop = asyncio.get_running_loop()
    if loop not in _redis_by_loop:
        _redis_by_loop.clear()  # an old loop (a finished test) takes its connections with it
        _redis_by_loop[loop] = RedisPresence(settings.REDIS_URL)
    return _redis_by_loop[loop]


_sync_redis = None


def viewers_now(customer_ids, *, stale_after: float, limit: int) -> dict[int, list[dict]]:
    """Who is looking at each of these customers right now, read from a synchronous view (an
    inbox list): one pipelined Redis call for all of them in the full stack; the process's own
    registry in the embedded mode (one process serves everything there)."""
    ids = list(dict.fromkeys(customer_ids))
    if not ids:
        return {}
    if not settings.REDIS_URL:
        cutoff = time.time() - stale_after
        found = {}
        for customer_id in ids:
            lines = [(seen, info) for seen, info in _memory.rooms.get(customer_id, {}).values() if seen >= cutoff]
            found[customer_id] = [info for _seen, info in sorted(lines, key=lambda line: -line[0])[:limit]]
        return found
    global _sync_redis
    if _sync_redis is None:
        import redis

        _sync_redis = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1)
    script = _sync_redis.register_script(VIEWERS_LUA)
    with _sync_redis.pipeline(transaction=False) as pipe:
        for customer_id in ids:
            script(keys=RedisPresence._keys(customer_id), args=[time.time() - stale_after, limit], client=pipe)
        results = pipe.execute()
    return {
        customer_id: [info for _conn, info in RedisPresence._pairs(flat)]
        for customer_id, flat in zip(ids, results, strict=True)
    }
