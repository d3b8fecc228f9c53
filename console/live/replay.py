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

from django.conf import settings

log = logging.getLogger(__name__)
WINDOW_SECONDS = 60.0


def _now() -> float:
    return time.monotonic()


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
