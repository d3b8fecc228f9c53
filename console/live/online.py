"""Which agents are online: someone with a console open (any page) in any process.

Each process keeps the users of its open consoles and writes them to the shared cache (Redis in
the full stack) every ``LIVE_ONLINE_REFRESH_SECONDS``: one call for all of them, whatever the
number of consoles. ``last_seen`` reads back when each of a list of users was last seen, in one
call; a user whose process died is simply not refreshed any more. Automatic assignment in the
inbox gives work only to agents seen within a minute, and takes it back from those gone for
longer (console/conversations/assignment.py).
"""

import asyncio
import logging
import time
from collections import Counter

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)
# How long a last-seen time is kept: far longer than anyone counts as online.
KEEP_SECONDS = 24 * 3600


def _key(user_id: int) -> str:
    return f"klantbeeld:online:{user_id}"


def last_seen(user_ids) -> dict[int, float]:
    """When each of these users was last seen with a console open (epoch seconds); users never
    seen (or not for a day) are missing."""
    ids = list(user_ids)
    found = cache.get_many([_key(pk) for pk in ids])
    return {pk: found[_key(pk)] for pk in ids if _key(pk) in found}


def seen_now(*user_ids: int) -> None:
    """Mark users as seen now (the process's consoles, every refresh; a test's agent)."""
    now = time.time()
    cache.set_many({_key(pk): now for pk in user_ids}, timeout=KEEP_SECONDS)


class Online:
    """This process's consoles, by user, and the task that keeps them marked as seen."""

    def __init__(self):
        self.users: Counter = Counter()
        self.task: asyncio.Task | None = None

    async def join(self, user_id: int) -> None:
        self.users[user_id] += 1
        await self._mark([user_id])
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._run())

    def leave(self, user_id: int) -> None:
        self.users[user_id] -= 1
        if self.users[user_id] <= 0:
            del self.users[user_id]

    async def _mark(self, user_ids) -> None:
        try:
            await asyncio.to_thread(seen_now, *user_ids)
        except Exception:  # noqa: BLE001 - Redis away: agents count as offline until it is back
            log.warning("could not mark %d agents as online", len(user_ids), exc_info=True)

    async def _run(self):
        while self.users:
            await asyncio.sleep(settings.LIVE_ONLINE_REFRESH_SECONDS)
            if self.users:
                await self._mark(list(self.users))


_online = Online()


def online() -> Online:
    return _online
