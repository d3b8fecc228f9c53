"""Replays: what a page missed, from the database, when it asks with ``resume`` (docs/live.md).

A replay is the dearest thing a console does: up to ``LIVE_REPLAY_LIMIT`` entries and, with
``panels``, the header and every panel, rendered in the process's one thread for consoles'
database work. A page sends ``resume`` on every reconnect and whenever it sees a gap; a page
gone wrong, or someone with a session and a script, can send a hundred in a row, and each was
replayed in full (100 with ``panels`` made one connection pull 20.7 MB and held a worker for
27.5 s). So, per connection:

- at most one replay is in flight; a ``resume`` that arrives meanwhile is merged into the next
  one (from the lowest seq asked for, with panels if any asked), so a flood costs two replays;
- what one connection is sent by replays is capped at ``LIVE_REPLAY_BYTES_PER_MINUTE``: past
  it, the next replay waits until the last minute's replays fall under the cap again. Pushes go
  on meanwhile, and the page gets what it asked for, late. A page that behaves never gets near
  the cap: a reconnect is one replay, a form's answer one without panels.
"""

import asyncio
import logging
import time
from collections import deque

from channels.db import database_sync_to_async
from django.conf import settings

log = logging.getLogger(__name__)
WINDOW_SECONDS = 60.0


def _now() -> float:
    return time.monotonic()


@database_sync_to_async
def missing_entries(customer_id: int, after: int, finance: bool, panels: bool) -> tuple[str, str, int, int, bool]:
    """Rendered entries after ``after`` (oldest first), the panels (or ""), the highest seq among
    the entries (or ``after``), the seq the panels are current as of (0: none), and whether too
    much was missed to replay (the page then reloads). The panels come along when entries were
    missed, or when asked for (a page back from a lost connection: a flag may have changed)."""
    from console.live.fragments import panels_now, render_entries
    from console.timeline.models import TimelineEntry

    limit = settings.LIVE_REPLAY_LIMIT
    entries = list(
        TimelineEntry.objects.filter(customer_id=customer_id, seq__gt=after)
        .select_related("actor_user")
        .order_by("seq")[: limit + 1]
    )
    if len(entries) > limit:
        return "", "", after, 0, True
    upto = entries[-1].seq if entries else after
    if not entries and not panels:
        return "", "", upto, 0, False
    # Whatever the missed entries changed (orders, flags) comes along: the panels as they are now.
    html, panels_seq = panels_now(customer_id, finance=finance)
    return render_entries(entries, finance=finance), html, upto, panels_seq, False


class Replays:
    """One connection's replays: one in flight, the rest merged, and a byte budget per minute.

    ``replay(after, panels)`` does one replay and returns the bytes it sent."""

    def __init__(self, replay):
        self.replay = replay
        self.pending: tuple[int, bool] | None = None
        self.task: asyncio.Task | None = None
        self.sent: deque[tuple[float, int]] = deque()  # (when, bytes) of the last minute's replays

    def ask(self, after: int, panels: bool) -> None:
        if self.pending is not None:
            after, panels = min(after, self.pending[0]), panels or self.pending[1]
        self.pending = (after, panels)
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._run())

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()

    async def _run(self):
        while self.pending is not None:
            await self._within_budget()
            after, panels = self.pending
            self.pending = None
            try:
                sent = await self.replay(after, panels)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the database away, or the socket closed meanwhile
                log.warning("replay after %s failed; the page asks again at its next seq message", after, exc_info=True)
                return
            self.sent.append((_now(), sent))

    def _spent(self) -> int:
        cutoff = _now() - WINDOW_SECONDS
        while self.sent and self.sent[0][0] <= cutoff:
            self.sent.popleft()
        return sum(size for _when, size in self.sent)

    async def _within_budget(self):
        budget = settings.LIVE_REPLAY_BYTES_PER_MINUTE
        if budget and self._spent() >= budget:
            log.warning("console replayed %d bytes this minute; its next replay waits", self._spent())
            while self._spent() >= budget:
                # Until the oldest replay of the window leaves it (checked each second).
                await asyncio.sleep(min(1.0, max(0.01, self.sent[0][0] + WINDOW_SECONDS - _now())))
