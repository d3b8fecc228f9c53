"""bench/inbox.py's inbox pages: a console's websocket on the full stack, told by a trigger
frame that the inbox changed, and the list it then fetches again as htmx does."""

import asyncio
import collections
import json
import re
import time
from dataclasses import dataclass

import _http
from _server import HOST
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

TRIGGER = "inbox-changed"
LIST = "/inbox/team/webcare/"
TOTAL = re.compile(rb'<span class="count">(\d+) open</span>')


@dataclass
class Fetch:
    started: float
    ended: float
    status: int
    total: int  # the "N open" of the list that came back (-1: none)


class Console:
    """One agent's inbox page: its websocket, and the list it fetches again on each trigger after
    the quiet delay (htmx ``delay:``: a newer trigger starts the wait again; one request at a
    time, a trigger meanwhile queues one more, as htmx's default ``hx-sync`` does)."""

    def __init__(self, port: int, cookie: str, delay: float | None):
        self.port, self.cookie, self.delay = port, cookie, delay
        self.http = _http.Connection(HOST, port, {"Cookie": cookie, "HX-Request": "true"})
        self.triggers: list[float] = []
        self.fetches: list[Fetch] = []
        self.frames: collections.Counter = collections.Counter()
        self.problems: collections.Counter = collections.Counter()
        self.closed: str | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._busy = self._queued = False
        self._tasks: set[asyncio.Task] = set()

    async def open(self, timeout: float) -> None:
        self.ws = await ws_connect(
            f"ws://{HOST}:{self.port}/ws/console/",
            origin=f"http://{HOST}:{self.port}",
            additional_headers={"Cookie": self.cookie},
            open_timeout=timeout,
            compression=None,
            ping_interval=None,
            max_size=None,
            close_timeout=2,
        )
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                now = time.perf_counter()
                if isinstance(message, bytes):
                    message = message.decode()
                data = json.loads(message) if message[:1] == "{" else {}
                if data.get("type") == "trigger" and data.get("name") == TRIGGER:
                    self.triggers.append(now)
                    self._triggered()
                else:
                    self.frames[data.get("type", "html")] += 1
            self.closed = f"closed {self.ws.close_code}"
        except ConnectionClosed as exc:
            self.closed = f"closed {exc.rcvd.code if exc.rcvd else 'without a close frame'}"

    def _triggered(self) -> None:
        if self.delay is None:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(self.delay, self._due)

    def _due(self) -> None:
        self._timer = None
        if self._busy:
            self._queued = True
            return
        task = asyncio.create_task(self._fetch())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _fetch(self) -> None:
        self._busy = True
        try:
            while True:
                self._queued = False
                started = time.perf_counter()
                try:
                    status, body = await self._get()
                except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                    self.problems[f"{type(exc).__name__}: {exc}"[:120]] += 1
                    status, body = 0, b""
                found = TOTAL.search(body)
                self.fetches.append(Fetch(started, time.perf_counter(), status, int(found.group(1)) if found else -1))
                if not self._queued:
                    return
        finally:
            self._busy = False

    async def _get(self) -> tuple[int, bytes]:
        try:
            return await self.http.request("GET", LIST)
        except (ConnectionError, asyncio.IncompleteReadError):
            # uvicorn closes keep-alive connections idle for 5 s; a browser opens a new one.
            self.http.close()
            return await self.http.request("GET", LIST)

    @property
    def idle(self) -> bool:
        return self._timer is None and not self._busy

    def reset(self) -> None:
        self.triggers.clear()
        self.fetches.clear()

    async def close(self) -> None:
        self.http.close()
        if getattr(self, "ws", None) is not None:
            await self.ws.close()
            await asyncio.gather(self.reader, return_exceptions=True)
