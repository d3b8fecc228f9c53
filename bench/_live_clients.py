"""The load generator's console pages for bench/live.py: websocket clients that speak the live
protocol of docs/live.md (resume on connect, then entries by ``data-seq``) and note when each
entry arrived, and the site they connect to with a session cookie and the page's Origin."""

import asyncio
import collections
import json
import re
import time

from _server import HOST
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

ENTRY = re.compile(r' data-seq="(\d+)"')


class Client:
    """One console page: a websocket on one customer, and what arrived on it."""

    def __init__(self, customer_id: int):
        self.customer_id = customer_id
        self.ws = None
        self.task: asyncio.Task | None = None
        self.pushed: dict[int, float] = {}  # seq -> arrival (perf_counter) of its first push
        self.duplicates: list[int] = []  # seqs pushed again
        self.replayed: set[int] = set()  # seqs that came in answer to a resume
        self.replaying = True  # until the answer to the resume sent on connect
        self.ready = asyncio.Event()
        self.frames: collections.Counter = collections.Counter()
        self.closed: str | None = None
        self.deflate = False

    async def open(self, url: str, headers: dict, origin: str, after: int, deflate: bool, timeout: float) -> None:
        self.ws = await ws_connect(
            url,
            origin=origin,
            additional_headers=headers,
            open_timeout=timeout,
            compression="deflate" if deflate else None,
            ping_interval=None,
            max_size=None,
            close_timeout=2,
        )
        self.deflate = bool(self.ws.protocol.extensions)
        self.task = asyncio.create_task(self._read())
        await self.ws.send(json.dumps({"type": "resume", "after": after}))
        await asyncio.wait_for(self.ready.wait(), timeout)
        if self.closed:  # refused after the handshake (4401, 4403, 4404) or dropped
            raise ConnectionError(self.closed)

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                now = time.perf_counter()
                if isinstance(message, bytes):
                    message = message.decode()
                if message[:1] == "{":
                    kind = json.loads(message).get("type", "?")
                    self.frames[kind] += 1
                    if kind == "seq" and not self.ready.is_set():
                        self.replaying = False
                        self.ready.set()
                    continue
                seqs = ENTRY.findall(message)
                if not seqs:
                    self.frames["presence" if 'id="presence"' in message else "html"] += 1
                    continue
                self.frames["entry"] += 1
                for seq in map(int, seqs):
                    if self.replaying:
                        self.replayed.add(seq)
                    elif seq in self.pushed:
                        self.duplicates.append(seq)
                    else:
                        self.pushed[seq] = now
            self.closed = f"closed {self.ws.close_code}"
        except ConnectionClosed as exc:
            self.closed = f"closed {exc.rcvd.code if exc.rcvd else 'without a close frame'}"
        self.ready.set()  # nobody waits for a subscription that cannot come

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.task is not None:
            await asyncio.gather(self.task, return_exceptions=True)


class Site:
    """Where the clients connect and with what."""

    def __init__(self, port: int, cookie: str, deflate: bool):
        self.port, self.deflate = port, deflate
        self.origin = f"http://{HOST}:{port}"
        self.headers = {"Cookie": cookie}

    async def connect(
        self, customers: list[int], latest: dict[int, int], *, parallel: int = 50, timeout: float = 60
    ) -> tuple[list[Client], collections.Counter, float]:
        """Connect one client per entry of ``customers``, each subscribed when this returns."""
        gate = asyncio.Semaphore(parallel)
        failures: collections.Counter = collections.Counter()
        started = time.perf_counter()

        async def one(customer_id: int) -> Client | None:
            client = Client(customer_id)
            async with gate:
                try:
                    await client.open(
                        f"ws://{HOST}:{self.port}/ws/console/?customer={customer_id}",
                        self.headers,
                        self.origin,
                        latest[customer_id],
                        self.deflate,
                        timeout,
                    )
                    return client
                except TimeoutError:
                    failures[client.closed or "not subscribed in time"] += 1
                except InvalidStatus as exc:
                    failures[f"handshake refused: HTTP {exc.response.status_code}"] += 1
                except (OSError, InvalidHandshake, ConnectionClosed) as exc:
                    failures[f"{type(exc).__name__}: {exc}"[:120]] += 1
                await client.close()
                return None

        made = await asyncio.gather(*(one(c) for c in customers))
        return [c for c in made if c is not None], failures, time.perf_counter() - started


async def close_all(clients: list[Client]) -> None:
    for i in range(0, len(clients), 50):
        await asyncio.gather(*(c.close() for c in clients[i : i + 50]), return_exceptions=True)
