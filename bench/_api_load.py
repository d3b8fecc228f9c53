"""bench/ingest.py's load on the event API: keep-alive clients that POST back to back, and what
one phase saw (latency inside the measured window, every status, problems, unexpected answers)."""

import asyncio
import collections
import json
import time

import _http
from _server import HOST
from _stats import quantiles


class Phase:
    """What one load phase saw: samples and events inside the measured window, every answer."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.samples_ms: list[float] = []
        self.events = 0
        self.statuses: collections.Counter = collections.Counter()  # HTTP status of every request
        self.items: collections.Counter = collections.Counter()  # batch: status of every item
        self.problems: collections.Counter = collections.Counter()  # timeouts, dropped connections
        self.examples: collections.Counter = collections.Counter()  # unexpected answers (a few kinds)
        self.cpu_s = 0.0

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    def note(self, text: str) -> None:
        text = " ".join(text.split())[:300]
        if text in self.examples or len(self.examples) < 5:
            self.examples[text] += 1


def single_check(phase: Phase, status: int, data: bytes) -> int:
    phase.statuses[status] += 1
    if 200 <= status < 300:
        return 1
    phase.note(f"HTTP {status}: {data.decode(errors='replace')}")
    return 0


def batch_check(phase: Phase, status: int, data: bytes) -> int:
    phase.statuses[status] += 1
    if status != 207:
        phase.note(f"HTTP {status}: {data.decode(errors='replace')}")
        return 0
    created = 0
    for item in json.loads(data)["results"]:
        phase.items[item["status"]] += 1
        if item["status"] == 201:
            created += 1
        else:
            phase.note(f"item {item['status']}: {json.dumps(item['body'])}")
    return created


async def load(
    *, port: int, token: str, path: str, clients: int, warmup: float, seconds: float, body, check, timeout: float
) -> Phase:
    """``clients`` connections send back to back; a request counts if it ends inside the window."""
    phase = Phase(seconds)
    cpu = time.process_time()
    t0 = time.perf_counter() + warmup
    t1 = t0 + seconds

    async def client():
        conn = _http.Connection(HOST, port, {"Authorization": f"Bearer {token}"})
        while time.perf_counter() < t1:
            payload = body()
            started = time.perf_counter()
            try:
                status, data = await asyncio.wait_for(conn.request("POST", path, payload), timeout)
            except TimeoutError:
                phase.problems[f"timeout after {timeout:.0f} s"] += 1
                conn.close()
                continue
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                phase.problems[f"{type(exc).__name__}: {exc}"[:120]] += 1
                conn.close()
                await asyncio.sleep(0.05)
                continue
            ended = time.perf_counter()
            ok = check(phase, status, data)
            if ok and t0 <= ended <= t1:
                phase.samples_ms.append((ended - started) * 1000)
                phase.events += ok
        conn.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    phase.cpu_s = time.process_time() - cpu
    return phase


def print_phase(label: str, phase: Phase, unit: str) -> None:
    q = quantiles(phase.samples_ms)
    print(
        f"  {label}: {phase.rate:,.0f} events/s over {phase.seconds:.0f} s; {unit} "
        f"p50 {q['p50']:.1f} ms, p95 {q['p95']:.1f} ms, p99 {q['p99']:.1f} ms, max {q['max']:.1f} ms "
        f"({len(phase.samples_ms):,} requests measured)"
    )
    print(
        f"    HTTP statuses (all requests, warm-up included): "
        f"{', '.join(f'{k}: {v:,}' for k, v in sorted(phase.statuses.items()))}"
    )
    if phase.items:
        print(f"    item statuses: {', '.join(f'{k}: {v:,}' for k, v in sorted(phase.items.items()))}")
    for problem, count in phase.problems.items():
        print(f"    PROBLEM {count}x {problem}")
    for example, count in phase.examples.most_common():
        print(f"    UNEXPECTED {count:,}x {example}")
    print(f"    load generator CPU: {phase.cpu_s / (phase.seconds + 0.0001):.0%} of one core (warm-up included)")
