"""Which agents are online: someone with a console open (any page) in any process.

Each process keeps the users of its open consoles and writes when it saw them to the database
(``accounts.AgentSeen``) every ``LIVE_ONLINE_REFRESH_SECONDS``: one statement for all of them,
whatever the number of consoles. ``last_seen`` reads back when each of a list of users was last
seen, in one query; a user whose process died is simply not refreshed any more. In the database,
not in a process's memory or Redis, so that a job in another process (the embedded mode's
``run_periodic``) sees the same, and Redis being away does not send everyone offline. Automatic assignment in the
inbox gives work only to agents seen within a minute, and takes it back from those gone for
longer (console/conversations/assignment.py).
"""

import asyncio
import logging
from collections import Counter
from datetime import UTC, datetime

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from console.accounts.models import AgentSeen

log = logging.getLogger(__name__)


def last_seen(user_ids) -> dict[int, float]:
    """When each of these users was last seen with a console open (epoch seconds); users never
    seen are missing."""
    seen = AgentSeen.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "seen_at")
    return {pk: at.timestamp() for pk, at in seen}


def seen_now(*user_ids: int, at: float | None = None) -> None:
    """Mark users as seen now, or ``at`` (the process's consoles, every refresh; a test's agent)."""
    moment = timezone.now() if at is None else datetime.fromtimestamp(at, tz=UTC)
    AgentSeen.objects.bulk_create(
        [AgentSeen(user_id=pk, seen_at=moment) for pk in user_ids],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["seen_at"],
    )


class Online:
    """This process's consoles, by user, and the task that keeps them marked as seen."""

    def __init__(self):
        self.users: Counter = Counter()
        self.task: asyncio.Task | None = None
        # The first marks in flight: held, or the event loop may collect them before they ran.
        self.marking: set[asyncio.Task] = set()

    def join(self, user_id: int) -> None:
        """A console of this user opened here. Marked as seen in the background: a console's
        connect waits for no database write of this."""
        self.users[user_id] += 1
        if self.users[user_id] == 1:
            mark = asyncio.ensure_future(self._mark([user_id]))
            self.marking.add(mark)
            mark.add_done_callback(self.marking.discard)
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._run())

    def leave(self, user_id: int) -> None:
        self.users[user_id] -= 1
        if self.users[user_id] <= 0:
            del self.users[user_id]

    async def _mark(self, user_ids) -> None:
        try:
            await database_sync_to_async(seen_now)(*user_ids)
        except Exception:  # noqa: BLE001 - the database away: agents count as offline until it is back
            log.warning("could not mark %d agents as online", len(user_ids), exc_info=True)

    async def _run(self):
        while self.users:
            await asyncio.sleep(settings.LIVE_ONLINE_REFRESH_SECONDS)
            if self.users:
                await self._mark(list(self.users))


_online = Online()


def online() -> Online:
    return _online
