"""The events bench/live.py sends: interaction.recorded events through POST /api/v1/events on a
schedule, and for each the customer, its seq and when the call started (latency runs from there)."""

import asyncio
import collections
import json
import time
from dataclasses import dataclass

import _http
from _events import Events
from _server import HOST


@dataclass
class Posted:
    customer_id: int
    seq: int
    started: float  # perf_counter at the start of the API call


class Poster:
    """Posts events to /api/v1/events on a schedule (open loop), over a pool of keep-alive connections."""

    def __init__(self, port: int, token: str, run: str, conns: int = 64):
        self.events = Events([], run)
        self.conns = [_http.Connection(HOST, port, {"Authorization": f"Bearer {token}"}) for _ in range(conns)]
        self.pool: asyncio.Queue = asyncio.Queue()
        for conn in self.conns:
            self.pool.put_nowait(conn)
        self.problems: collections.Counter = collections.Counter()
        self.lag_ms: list[float] = []  # how late each call started against its schedule
        self.api_ms: list[float] = []  # how long each call took

    async def _one(self, email: str, due: float, out: list[Posted]) -> None:
        conn = await self.pool.get()
        started = time.perf_counter()
        self.lag_ms.append((started - due) * 1000)
        try:
            status, data = await asyncio.wait_for(
                conn.request("POST", "/api/v1/events", json.dumps(self.events.one(email)).encode()), 30
            )
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            self.problems[f"{type(exc).__name__}: {exc}"[:120]] += 1
            conn.close()
        else:
            self.api_ms.append((time.perf_counter() - started) * 1000)
            if status == 201:
                body = json.loads(data)
                out.append(Posted(body["customer"]["id"], body["timeline_entry"]["seq"], started))
            else:
                self.problems[f"HTTP {status}: {data[:200].decode(errors='replace')}"] += 1
        finally:
            self.pool.put_nowait(conn)

    async def post(self, emails: list[str], rate: float) -> list[Posted]:
        """One event per e-mail address in ``emails``, ``rate`` per second."""
        # Fresh connections: uvicorn drops keep-alive connections idle for 5 s, and a request on a
        # dropped one would fail.
        for conn in self.conns:
            conn.close()
        out: list[Posted] = []
        tasks = []
        t0 = time.perf_counter() + 0.01
        for i, email in enumerate(emails):
            due = t0 + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self._one(email, due, out)))
        await asyncio.gather(*tasks)
        return out

    def close(self) -> None:
        for conn in self.conns:
            conn.close()
