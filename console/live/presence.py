"""Who is looking at a customer right now: a registry every console writes itself into.

In the full stack it lives in Redis (a sorted set of connections by last-seen time plus a
hash of who they are), so consoles on every process see each other; in the embedded mode
it is a dict in the one process. A console refreshes its own line every tick; one that
stops doing so (closed, crashed, its process killed) drops out after ``stale_after``.
Reads return at most ``limit`` viewers, so the cost stays flat with thousands watching.
"""

import asyncio
import functools
import json
import time

from django.conf import settings


class MemoryPresence:
    def __init__(self):
        self.rooms: dict[int, dict[str, tuple[float, dict]]] = {}

    async def touch(self, customer_id: int, conn: str, info: dict) -> int:
        room = self.rooms.setdefault(customer_id, {})
        room[conn] = (time.time(), info)
        return len(room)

    async def touch_many(self, lines: list[tuple[int, str, dict]]) -> None:
        for customer_id, conn, info in lines:
            await self.touch(customer_id, conn, info)

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

    async def viewers_many(
        self, customer_ids: list[int], *, stale_after: float, limit: int
    ) -> dict[int, list[tuple[str, dict]]]:
        return {c: await self.viewers(c, stale_after=stale_after, limit=limit) for c in customer_ids}


class RedisPresence:
    def __init__(self, url: str):
        import redis.asyncio as redis

        self.redis = redis.from_url(url, max_connections=settings.REDIS_MAX_CONNECTIONS, health_check_interval=1)

    @staticmethod
    def _keys(customer_id: int) -> tuple[str, str]:
        return f"klantbeeld:presence:seen:{customer_id}", f"klantbeeld:presence:info:{customer_id}"

    async def touch(self, customer_id: int, conn: str, info: dict) -> int:
        seen, about = self._keys(customer_id)
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zadd(seen, {conn: time.time()})
            pipe.hset(about, conn, json.dumps(info))
            pipe.expire(seen, 3600)
            pipe.expire(about, 3600)
            pipe.zcard(seen)
            result = await pipe.execute()
        return result[-1]

    async def touch_many(self, lines: list[tuple[int, str, dict]]) -> None:
        """Every console of this process refreshes its line: one round trip for all."""
        now = time.time()
        async with self.redis.pipeline(transaction=False) as pipe:
            for customer_id, conn, info in lines:
                seen, about = self._keys(customer_id)
                pipe.zadd(seen, {conn: now})
                pipe.hset(about, conn, json.dumps(info))
                pipe.expire(seen, 3600)
                pipe.expire(about, 3600)
            await pipe.execute()

    async def leave(self, customer_id: int, conn: str) -> int:
        seen, about = self._keys(customer_id)
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zrem(seen, conn)
            pipe.hdel(about, conn)
            pipe.zcard(seen)
            result = await pipe.execute()
        return result[-1]

    async def viewers(self, customer_id: int, *, stale_after: float, limit: int) -> list[tuple[str, dict]]:
        return (await self.viewers_many([customer_id], stale_after=stale_after, limit=limit))[customer_id]

    async def viewers_many(
        self, customer_ids: list[int], *, stale_after: float, limit: int
    ) -> dict[int, list[tuple[str, dict]]]:
        """The viewers of each customer in one round trip (the ticker asks for every customer
        someone has open in this process): one script per customer drops the stale lines and
        reads the recent ones, all in one pipeline."""
        cutoff = time.time() - stale_after
        async with self.redis.pipeline(transaction=False) as pipe:
            for customer_id in customer_ids:
                await self._viewers_script(keys=self._keys(customer_id), args=[cutoff, limit], client=pipe)
            found = await pipe.execute()
        return {
            customer_id: [(c.decode(), json.loads(i)) for c, i in zip(flat[::2], flat[1::2], strict=True)]
            for customer_id, flat in zip(customer_ids, found, strict=True)
        }

    @functools.cached_property
    def _viewers_script(self):
        return self.redis.register_script(VIEWERS_LUA)


# KEYS: the seen set, the info hash; ARGV: the cutoff time, the most to return. Returns
# [conn, info, conn, info, ...], most recently seen first.
VIEWERS_LUA = """
local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
if #stale > 0 then
  redis.call('ZREM', KEYS[1], unpack(stale))
  redis.call('HDEL', KEYS[2], unpack(stale))
end
local conns = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
if #conns == 0 then return out end
local infos = redis.call('HMGET', KEYS[2], unpack(conns))
for i, conn in ipairs(conns) do
  if infos[i] then
    out[#out + 1] = conn
    out[#out + 1] = infos[i]
  end
end
return out
"""


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
