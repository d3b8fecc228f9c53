"""Console pages on the full stack: websocket clients that keep a console's books the way
static/console/live.js does (docs/live.md), a fleet of them on an event loop of their own,
and how their timelines compare with the database."""

import asyncio
import html
import json
import os
import re
import threading
import time
from collections import Counter

from tests.live.calls import post_event
from tests.live.processes import RedisServer, Uvicorn

# The first entry of an HTML message (live.js looks at that one for a gap), and every entry in it.
ENTRY = re.compile(r'<li\b[^>]*?\sdata-seq="(\d+)"[^>]*>.*?<p class="entry-summary">(.*?)</p>', re.S)


class LiveClient:
    """One open customer picture: the bookkeeping of static/console/live.js, in Python.

    ``held`` is the timeline on the page (an entry whose id is already there is not inserted
    again, as the htmx:oobBeforeSwap handler does); ``received`` lists every entry that
    arrived in a message the page applied, duplicates included, so double deliveries are
    counted even though the page hides them.
    """

    def __init__(self, name: str, server, customer_id: int, cookie: str, *, follow_seq: bool = True):
        self.name, self.server, self.customer_id, self.cookie = name, server, customer_id, cookie
        self.follow_seq = follow_seq
        self.last_seq = 0
        self.held: dict[int, str] = {}  # seq -> summary, in the order inserted
        self.received: list[int] = []
        self.connects = 0
        self.connected_at: list[float] = []  # time.monotonic() of every opened socket
        self.closes: list[str] = []
        self.reloads = 0
        self.resumes = 0
        self.connected = False

    @property
    def uri(self) -> str:
        return f"ws://127.0.0.1:{self.server.port}/ws/console/?customer={self.customer_id}"

    async def run(self):
        from websockets.asyncio.client import connect

        backoff = 0.1
        while True:
            try:
                async with connect(
                    self.uri,
                    origin=f"http://127.0.0.1:{self.server.port}",
                    additional_headers={"Cookie": self.cookie},
                    proxy=None,
                    open_timeout=3,
                    close_timeout=1,
                    max_size=None,
                ) as ws:
                    self.connects += 1
                    self.connected_at.append(time.monotonic())
                    self.connected = True
                    backoff = 0.1
                    await self._resume(ws)
                    async for message in ws:
                        await self.handle(ws, message)
                    self.closes.append(f"closed {ws.close_code}")
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - any failure is a reason to reconnect
                code = getattr(getattr(error, "rcvd", None), "code", "")
                self.closes.append(f"{type(error).__name__} {code}".strip())
            self.connected = False
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 1.0)

    async def _resume(self, ws):
        self.resumes += 1
        await ws.send(json.dumps({"type": "resume", "after": self.last_seq}))

    async def handle(self, ws, message):
        if isinstance(message, bytes):
            message = message.decode()
        if message.startswith("{"):
            control = json.loads(message)
            if control.get("type") == "seq" and control.get("latest", 0) > self.last_seq and self.follow_seq:
                await self._resume(ws)
            elif control.get("type") == "reload":
                self.reloads += 1
            return
        entries = [(int(seq), html.unescape(summary).strip()) for seq, summary in ENTRY.findall(message)]
        if not entries:
            return  # presence, panels, activity
        if entries[0][0] > self.last_seq + 1 and self.follow_seq:
            await self._resume(ws)  # a push went missing before this one: fetch the gap
            return
        for seq, summary in entries:
            self.received.append(seq)
            self.last_seq = max(self.last_seq, seq)
            self.held.setdefault(seq, summary)

    def duplicates(self) -> dict[int, int]:
        return {seq: n for seq, n in Counter(self.received).items() if n > 1}


async def push_arrives(
    listen_on: Uvicorn,
    post_to: Uvicorn,
    customer_id: int,
    customer_number: str,
    cookie: str,
    token: str,
    summary: str,
    redis: RedisServer,
    timeout: float = 5,
) -> tuple[LiveClient, int, float, float]:
    """Open a console on ``listen_on``, catch up once, then post through ``post_to`` and wait for
    the entry. The console never asks again after its first resume, so the entry can only come
    as a push through the channel layer, which must be ``redis`` (the console's customer group is
    there while it is open). Returns (client, seq, API call seconds, total seconds)."""
    from websockets.asyncio.client import connect

    client = LiveClient("listener", listen_on, customer_id, cookie, follow_seq=False)
    async with connect(
        client.uri, origin=listen_on.url, additional_headers={"Cookie": cookie}, proxy=None, open_timeout=timeout
    ) as ws:
        await ws.send(json.dumps({"type": "resume", "after": 0}))
        while True:  # the replay, then the seq message that ends it
            message = await asyncio.wait_for(ws.recv(), timeout)
            if message.startswith("{") and json.loads(message).get("type") == "seq":
                break
            await client.handle(ws, message)
        group = f"{os.environ.get('CHANNEL_PREFIX', 'klantbeeld0')}__group__customer"
        groups = await asyncio.to_thread(redis.subscribed, f"{group}.*")
        assert f"{group}.{customer_id}" in groups, f"no process listens on {redis.url}: {groups}"
        started = time.monotonic()
        status, body = await asyncio.to_thread(post_event, post_to.url, token, customer_number, summary)
        assert status == 201, body
        api = time.monotonic() - started
        seq = body["timeline_entry"]["seq"]
        while seq not in client.held:
            await client.handle(ws, await asyncio.wait_for(ws.recv(), timeout - (time.monotonic() - started)))
        return client, seq, api, time.monotonic() - started


class Fleet:
    """Clients on an event loop of their own (a thread), so the test stays plain synchronous code."""

    def __init__(self, clients: list[LiveClient]):
        self.clients = clients
        self._ready = threading.Event()
        self._thread = threading.Thread(target=asyncio.run, args=(self._main(),), daemon=True)

    def start(self):
        self._thread.start()
        self._ready.wait(5)

    async def _main(self):
        self.loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        tasks = [asyncio.create_task(client.run()) for client in self.clients]
        self._ready.set()
        await self._stop.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def stop(self):
        if self._thread.is_alive() and self._ready.is_set():
            self.loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(10)


def compare(clients: list[LiveClient], expected: dict[int, dict[int, str]]) -> list[str]:
    """What is wrong with each client's timeline against the database: [] when all is well.

    ``expected`` maps customer id to {seq: summary} of every committed entry."""
    problems = []
    for client in clients:
        want = expected[client.customer_id]
        missing = sorted(set(want) - set(client.held))
        extra = sorted(set(client.held) - set(want))
        wrong = sorted(seq for seq in set(want) & set(client.held) if want[seq] != client.held[seq])
        dups = client.duplicates()
        if missing or extra or wrong or client.reloads:
            problems.append(
                f"{client.name} (customer {client.customer_id}, {client.server.name}): "
                f"missing {missing[:10]}{'…' if len(missing) > 10 else ''} ({len(missing)}), "
                f"not in the database {extra[:10]}, other entry under the seq {wrong[:10]}, "
                f"received twice {dict(list(dups.items())[:10])} ({len(dups)}), reloads {client.reloads}, "
                f"connects {client.connects}, last closes {client.closes[-3:]}"
            )
    return problems
