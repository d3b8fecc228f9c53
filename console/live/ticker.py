"""One clock per server process for all its open consoles.

Every tick it reads the latest seq of every customer someone has open here in one query,
then, 50 customers at a time, refreshes their consoles' presence lines and reads their
viewers in one Redis script call, and hands each console what concerns it. Per-console
timers would cost a query and several Redis calls per connection per tick, which swamps a
server holding thousands of connections.
"""

import asyncio
import logging
from collections import defaultdict

from channels.db import database_sync_to_async
from django.conf import settings

from console.live import presence

log = logging.getLogger(__name__)
# Customers whose consoles a tick handles before it lets the event loop do other work.
TICK_CHUNK = 50


class Ticker:
    def __init__(self):
        self.consoles: dict[int, set] = defaultdict(set)
        self.task: asyncio.Task | None = None
        # Each customer's latest seq as the previous tick read it.
        self.previous: dict[int, int] = {}

    def join(self, console) -> None:
        # The consoles' own class says how to read their customers' latest seqs (live knows no
        # domain app: console/live/consumers.py).
        self.latest_seqs = database_sync_to_async(console.latest_seqs)
        self.consoles[console.customer_id].add(console)
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._run())

    def leave(self, console) -> None:
        room = self.consoles.get(console.customer_id)
        if room is not None:
            room.discard(console)
            if not room:
                del self.consoles[console.customer_id]

    async def _run(self):
        while self.consoles:
            await asyncio.sleep(settings.LIVE_TICK_SECONDS)
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a database or Redis hiccup must not stop the clock
                log.warning("live tick failed; trying again next tick", exc_info=True)

    async def tick(self):
        rooms = {cid: list(consoles) for cid, consoles in self.consoles.items() if consoles}
        if not rooms:
            return
        # A console hears of the latest seq as it stood a tick ago, when the push of every entry
        # up to it has had a whole tick to arrive: an entry committed a moment ago, whose push is
        # on its way, would otherwise send every console on a busy customer to the database for
        # a replay it does not need. A push that is really lost is fetched after one to two ticks.
        latest, settled = await self.latest_seqs(list(rooms)), self.previous
        self.previous = latest
        registry = presence.registry()
        customer_ids = list(rooms)
        for start in range(0, len(customer_ids), TICK_CHUNK):
            chunk = {cid: rooms[cid] for cid in customer_ids[start : start + TICK_CHUNK]}
            lines = {cid: [(c.channel_name, c.whoami()) for c in consoles] for cid, consoles in chunk.items()}
            found = await registry.tick(
                lines, stale_after=3 * settings.LIVE_TICK_SECONDS, limit=settings.LIVE_PRESENCE_SHOWN + 1
            )
            for customer_id, consoles in chunk.items():
                viewers = found[customer_id]
                for console in consoles:
                    try:
                        await console.on_tick(settled.get(customer_id), viewers)
                    except Exception:  # noqa: BLE001 - a socket that died without saying so
                        log.info("dropping a console that failed its tick", exc_info=True)
                        self.leave(console)
            # Let requests and pushes through between chunks: one tick over a thousand consoles
            # in a piece held the event loop long enough to be the tail of the live latency.
            await asyncio.sleep(0)


_tickers: dict = {}


def ticker() -> Ticker:
    """This process's ticker (one per event loop, so tests with their own loops get their own)."""
    loop = asyncio.get_running_loop()
    if loop not in _tickers:
        _tickers.clear()
        _tickers[loop] = Ticker()
    return _tickers[loop]
