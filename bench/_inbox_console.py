"""bench/inbox.py's inbox pages: a console's websocket on the full stack, and the rows pushed to
it when a conversation of its team changes."""

import asyncio
import collections
import json
import time
from dataclasses import dataclass

from _server import HOST
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

EVENT = "inbox-row"
LIST = "/inbox/team/webcare/"


@dataclass
class Row:
    at: float
    conversation: int
    whole: bool  # the frame carries the row itself (its HTML) and the teams' counts
    size: int


class Console:
    """One agent's inbox page: its websocket, and the rows pushed to it (each a conversation's
    row rendered once on the server, with its teams' counts: the page places it, fetching
    nothing)."""

    def __init__(self, port: int, cookie: str):
        self.port, self.cookie = port, cookie
        self.rows: list[Row] = []
        self.frames: collections.Counter = collections.Counter()
        self.closed: str | None = None

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
                if data.get("type") == "event" and data.get("name") == EVENT:
                    d = data["detail"]
                    whole = f'id="conversation-{d["id"]}"' in d.get("html", "") and "webcare" in d.get(
                        "counts", {}
                    ).get("teams", {})
                    self.rows.append(Row(now, d["id"], whole, len(message)))
                else:
                    self.frames[data.get("type", "html")] += 1
            self.closed = f"closed {self.ws.close_code}"
        except ConnectionClosed as exc:
            self.closed = f"closed {exc.rcvd.code if exc.rcvd else 'without a close frame'}"

    def reset(self) -> None:
        self.rows.clear()

    async def close(self) -> None:
        if getattr(self, "ws", None) is not None:
            await self.ws.close()
            await asyncio.gather(self.reader, return_exceptions=True)
