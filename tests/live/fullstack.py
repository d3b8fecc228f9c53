"""The full stack as production runs it, for the live console's fault tests: a private
redis-server, uvicorn processes on the test database, and websocket clients that keep a
console's books the way static/console/live.js does (docs/live.md).

Nothing here touches the machine's own Redis: every process started here points at a
redis-server of its own on a free port, which the tests stop and start at will.
"""

import asyncio
import html
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import pytest

from tests.browser.asgi_server import ROOT, _database_env, _free_port, process_stop, uvicorn_command

REDIS_SERVER = Path("/usr/bin/redis-server")


def full_stack_only(test: str, *, what: str) -> list:
    """The marks of a test module that needs PostgreSQL, REDIS_URL and a redis-server of its own:
    ``test`` names it in the skip reason, ``what`` says what it starts."""
    from django.conf import settings

    on_postgres = settings.DATABASE_URL.split(":", 1)[0] in ("postgres", "postgresql", "pgsql", "postgis")
    return [
        pytest.mark.skipif(
            not (on_postgres and settings.REDIS_URL),
            reason=f"{test}: the full stack is needed, DATABASE_URL=postgres://... and REDIS_URL ({what})",
        ),
        pytest.mark.skipif(
            not REDIS_SERVER.exists(),
            reason=f"no {REDIS_SERVER}: {test} runs a redis-server of its own (apt-get install -y redis-server)",
        ),
        pytest.mark.django_db(transaction=True),
    ]


# The first entry of an HTML message (live.js looks at that one for a gap), and every entry in it.
ENTRY = re.compile(r'<li\b[^>]*?\sdata-seq="(\d+)"[^>]*>.*?<p class="entry-summary">(.*?)</p>', re.S)
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def wait_for(predicate, *, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class RedisServer:
    """A throw-away redis-server: no snapshots, no append-only file, stopped for real."""

    def __init__(self, log_dir: Path):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = log_dir / f"redis-{self.port}.log"
        self.process = None
        self.start()

    def start(self):
        self.log = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(REDIS_SERVER),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        if not wait_for(self.ping, timeout=10):
            raise RuntimeError(f"redis-server did not start on {self.port}:\n{_tail(self.log_path)}")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def subscribed(self, pattern: str) -> list[str]:
        """The pub/sub channels some process listens on (the channel layer's groups)."""
        import redis

        with redis.Redis.from_url(self.url, socket_timeout=2) as r:
            return sorted(name.decode() for name in r.pubsub_channels(pattern))

    def stop(self):
        if self.process is None:
            return
        process_stop(self.process)
        self.process = None
        self.log.close()


class Uvicorn:
    """One ASGI process on the test database and the given Redis, as tests/browser/asgi_server.py."""

    def __init__(self, name: str, redis_url: str, log_dir: Path, port: int | None = None, env: dict | None = None):
        self.name, self.redis_url, self.env = name, redis_url, env or {}
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"uvicorn-{name}-{self.port}.log"
        self.process = None
        self.start()

    def start(self):
        env = {
            **os.environ,
            **_database_env(),
            "REDIS_URL": self.redis_url,
            "DEBUG": "true",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LIVE_TICK_SECONDS": "1",
            "API_RATE_LIMIT_PER_SECOND": "0",
            **self.env,
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.log = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            uvicorn_command(self.port),
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while not _port_open(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn {self.name} did not start:\n{_tail(self.log_path)}")
            time.sleep(0.05)

    def kill(self):
        """kill -9: no goodbyes, no clean close of any socket."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(5)
        self.process = None
        self.log.close()

    def stop(self):
        if self.process is None:
            return
        process_stop(self.process)
        self.process = None
        self.log.close()

    def errors(self) -> str:
        return _tail(self.log_path, 60)


def post_event(url: str, token: str, customer_number: str, summary: str) -> tuple[int, dict]:
    """POST /api/v1/events: an inbound interaction for this customer. (status, body); 0 = no answer."""
    body = {
        "id": f"fs-{uuid.uuid4()}",
        "type": "interaction.recorded",
        "occurred_at": "2026-11-24T09:15:00+01:00",
        "customer": {"customer_number": customer_number},
        "data": {"channel": "twitter", "direction": "inbound", "summary": summary},
    }
    request = urllib.request.Request(
        f"{url}/api/v1/events",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with NO_PROXY.open(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read()[:300].decode(errors="replace")}
    except OSError as error:  # refused, reset, timed out: the process is down
        return 0, {"error": repr(error)}


def http(url: str, *, method: str = "GET", body: dict | None = None, headers: dict | None = None):
    """One HTTP call without a proxy: (status, headers, body text); status 0 when nothing answered."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with NO_PROXY.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")
    except OSError as error:
        return 0, {}, repr(error)


class Poster:
    """Events through the API at about ``rate`` per second, round robin over servers and customers."""

    def __init__(self, servers, token: str, customers: list[str], rate: float = 20):
        self.servers, self.token, self.customers, self.rate = servers, token, customers, rate
        self.results: list[dict] = []  # {"at", "server", "status", "body"}
        self._stop = threading.Event()
        self._threads = []

    def start(self):
        # One thread per server, so a slow or dead process does not slow the other's stream.
        for index, server in enumerate(self.servers):
            thread = threading.Thread(target=self._run, args=(index, server), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _run(self, index, server):
        every = len(self.servers) / self.rate
        n = index
        while not self._stop.is_set():
            started = time.monotonic()
            number = self.customers[n % len(self.customers)]
            status, body = post_event(server.url, self.token, number, f"fs {number} {server.name} {n}")
            self.results.append(
                {
                    "at": started,
                    "took": time.monotonic() - started,
                    "server": server.name,
                    "status": status,
                    "body": body,
                }
            )
            n += len(self.servers)
            self._stop.wait(max(0.0, every - (time.monotonic() - started)))

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(15)

    def statuses(self) -> Counter:
        return Counter(r["status"] for r in self.results)


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


class Stack:
    """A private Redis, the uvicorn processes on it and the clients' fleets; ``close`` stops them all."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.servers: list[Uvicorn] = []
        self.fleets: list[Fleet] = []
        self.redis = RedisServer(log_dir)

    def server(self, name: str, **env: str) -> Uvicorn:
        """A uvicorn process on this stack's Redis; ``env`` overrides its environment."""
        server = Uvicorn(name, self.redis.url, self.log_dir, env=env)
        self.servers.append(server)
        return server

    def fleet(self, clients: list["LiveClient"]) -> Fleet:
        fleet = Fleet(clients)
        self.fleets.append(fleet)
        fleet.start()
        return fleet

    def close(self):
        for fleet in self.fleets:
            fleet.stop()
        for server in self.servers:
            server.stop()
        self.redis.stop()


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
