"""bench/inbox.py's live part: webcare consoles open on their team's inbox (_inbox_console.py) on
the full stack, inbound tweets through the event API, and what reached each console when."""

import asyncio
import collections
import json
import math
import os
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import _http
import _server
from _inbox_console import LIST, Console
from _inbox_db import db_agents, db_cleanup, db_open_in_webcare, db_setup
from _server import HOST
from _stats import quantiles
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

TARGET_P99_MS = 100.0
WARMUP_MESSAGES = 3


@dataclass
class Posted:
    started: float
    answered: float
    status: int


def tweet(run: str, n: int, email: str) -> bytes:
    """An inbound tweet in a thread of its own: a new conversation for webcare."""
    return json.dumps(
        {
            "id": f"{run}-{n}",
            "type": "interaction.recorded",
            "occurred_at": datetime.now(UTC).isoformat(),
            "customer": {"email": email},
            "data": {
                "channel": "twitter",
                "direction": "inbound",
                "summary": "Waar blijft mijn bestelling? #bench",
                "thread": f"{run}-{n}",
            },
        }
    ).encode()


async def post(port: int, token: str, bodies: list[bytes], rate: float) -> list[Posted]:
    """The tweets through POST /api/v1/events, ``rate`` per second (open loop), in order."""
    conns = [_http.Connection(HOST, port, {"Authorization": f"Bearer {token}"}) for _ in range(4)]
    pool: asyncio.Queue = asyncio.Queue()
    for conn in conns:
        pool.put_nowait(conn)
    out: list[Posted | None] = [None] * len(bodies)

    async def one(i: int, body: bytes) -> None:
        conn = await pool.get()
        started = time.perf_counter()
        try:
            status, _ = await conn.request("POST", "/api/v1/events", body)
        except (OSError, asyncio.IncompleteReadError) as exc:
            print(f"    API PROBLEM {type(exc).__name__}: {exc}")
            conn.close()
            status = 0
        out[i] = Posted(started, time.perf_counter(), status)
        pool.put_nowait(conn)

    tasks, t0 = [], time.perf_counter()
    for i, body in enumerate(bodies):
        delay = t0 + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, body)))
    await asyncio.gather(*tasks)
    for conn in conns:
        conn.close()
    return out


async def connect(consoles: list[Console], timeout: float = 60) -> collections.Counter:
    gate, failures = asyncio.Semaphore(50), collections.Counter()

    async def one(console: Console) -> None:
        async with gate:
            try:
                await console.open(timeout)
            except InvalidStatus as exc:
                failures[f"handshake refused: HTTP {exc.response.status_code}"] += 1
            except (OSError, TimeoutError, InvalidHandshake, ConnectionClosed) as exc:
                failures[f"{type(exc).__name__}: {exc}"[:120]] += 1

    await asyncio.gather(*(one(c) for c in consoles))
    return failures


async def settle(consoles: list[Console], messages: int, grace: float) -> None:
    """Until every console has a new row for every message, or ``grace``."""
    deadline = time.perf_counter() + grace
    while time.perf_counter() < deadline:
        if all(len({r.conversation for r in c.rows}) >= messages for c in consoles):
            return
        await asyncio.sleep(0.05)


def analyse(consoles: list[Console], posted: list[Posted]) -> dict:
    """Each (console, message): the first row frame of a conversation new to that console after
    the POST started and before the next POST started."""
    starts = [p.started for p in posted] + [math.inf]
    push, push_answer, bursts, sizes = [], [], collections.defaultdict(list), []
    lost = partial = 0
    for c in consoles:
        known: set[int] = set()
        for k, p in enumerate(posted):
            rows = [r for r in c.rows if starts[k] <= r.at < starts[k + 1] and r.conversation not in known]
            known.update(r.conversation for r in c.rows if r.at < starts[k + 1])
            if p.status != 201:  # refused: no conversation, nothing to tell
                continue
            if not rows:
                lost += 1
                continue
            partial += not rows[0].whole
            push.append((rows[0].at - p.started) * 1000)
            push_answer.append((rows[0].at - p.answered) * 1000)
            bursts[k].append(push[-1])
        sizes += [r.size for r in c.rows]
    return {
        "push": push,
        "push_answer": push_answer,
        "bursts": [max(v) for _k, v in sorted(bursts.items())],
        "lost": lost,
        "partial": partial,
        "frames_per_console": sum(len(c.rows) for c in consoles) / max(len(consoles), 1),
        "size": statistics.median(sizes) if sizes else 0,
    }


def q(samples: list[float]) -> str:
    if not samples:
        return "none"
    s = quantiles(samples)
    return f"p50 {s['p50']:7.1f}  p95 {s['p95']:7.1f}  p99 {s['p99']:7.1f}  max {s['max']:7.1f} ms"


async def _run(args, proc, log_path: str, cookies: list[str], token: str, emails: list[str], run: str) -> dict:
    consoles = [Console(args.port, cookie) for cookie in cookies]
    try:
        await _server.server_wait(proc, args.port, log_path)
        started = time.perf_counter()
        failures = await connect(consoles)
        print(
            f"  {len(consoles) - sum(failures.values())} of {len(consoles)} consoles open in "
            f"{time.perf_counter() - started:.1f} s"
        )
        for what, n in failures.items():
            print(f"    CONNECT PROBLEM {n}x {what}")
        consoles = [c for c in consoles if getattr(c, "reader", None) is not None and c.closed is None]
        # Warm-up: both workers render the list, the connections are made.
        await post(args.port, token, [tweet(run, -i - 1, emails[i]) for i in range(WARMUP_MESSAGES)], 1.0)
        await settle(consoles, WARMUP_MESSAGES, args.grace)
        await asyncio.sleep(1)
        for c in consoles:
            c.reset()
        base = await asyncio.to_thread(db_open_in_webcare)
        bodies = [tweet(run, n, emails[(n + WARMUP_MESSAGES) % len(emails)]) for n in range(args.messages)]
        pace = f"at {args.rate:g}/s" if args.rate > 0 else "one at a time (the next 1 s after every console has it)"
        print(
            f"  posting {args.messages} tweets {pace} to {len(consoles)} consoles "
            f"({base:,} open in webcare); load average {_load()}"
        )
        workers = _server.worker_pids(proc)
        cpu_before, own_before = _server.cpu_seconds(workers), sum(os.times()[:2])
        if args.rate > 0:
            posted = await post(args.port, token, bodies, args.rate)
            await settle(consoles, args.messages, args.grace)
        else:  # one at a time: the next a second after every console has its row
            posted = []
            for k, body in enumerate(bodies):
                posted += await post(args.port, token, [body], 1.0)
                await settle(consoles, k + 1, args.grace)
                await asyncio.sleep(1)
        cpu = _server.cpu_seconds(workers) - cpu_before
        own = sum(os.times()[:2]) - own_before
        result = analyse(consoles, posted)
        result.update(
            consoles=len(consoles),
            messages=len(posted),
            failed_posts=sum(p.status != 201 for p in posted),
            api=[(p.answered - p.started) * 1000 for p in posted],
            server_cpu=cpu,
            own_cpu=own,
            frames=sum((c.frames for c in consoles), collections.Counter()),
            closed=collections.Counter(c.closed for c in consoles if c.closed),
        )
        return result
    finally:
        await asyncio.gather(*(c.close() for c in consoles), return_exceptions=True)


def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def main(args) -> None:
    run = f"inbox-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
    cookies, auto = db_agents(args.consoles)
    token, emails = db_setup()
    print(
        f"live: {len(cookies)} webcare agents each with a console on {LIST}, uvicorn --workers 2, "
        f"{os.environ['DATABASE_URL'].rsplit('@', 1)[-1]} and {os.environ['REDIS_URL']}; "
        f"webcare automatic assignment {'ON' if auto else 'off'}"
    )
    if _server.port_in_use(args.port):
        raise SystemExit(f"Port {args.port} is already in use; stop that server or pass --port.")
    log = tempfile.NamedTemporaryFile("w+", prefix="bench-inbox-uvicorn-", suffix=".log", delete=False)
    proc = _server.server_start(args.port, log, {})
    try:
        r = _server.run_async(_run(args, proc, log.name, cookies, token, emails, run))
    finally:
        _server.server_stop(proc)
        log.close()
        closed = db_cleanup(run)
    report(args, r, closed)
    problems = _server.server_problems(log.name)
    if problems:
        print(f"  SERVER LOG: {sum(problems.values()):,} error lines (full log: {log.name}):")
        for line, count in problems.most_common(8):
            print(f"    {count:,}x {line}")
    else:
        print("  server log: no errors")
        os.unlink(log.name)


def report(args, r: dict, closed: int) -> None:
    n = r["consoles"] * r["messages"]
    print(
        f"  {r['messages']} tweets answered ({r['failed_posts']} not 201): API {q(r['api'])}; "
        f"{closed} conversations of the run closed again afterwards"
    )
    print(f"  new row, POST start -> frame:    {q(r['push'])}  ({len(r['push']):,} of {n:,})")
    print(f"  new row, POST answer -> frame:   {q(r['push_answer'])}")
    print(f"  all {r['consoles']} consoles have it, per message: {q(r['bursts'])}")
    print(f"    in the order posted: {', '.join(f'{ms:.0f}' for ms in r['bursts'])} ms")
    print(
        f"  server CPU (both workers): {r['server_cpu'] * 1000 / max(r['messages'], 1):.0f} ms per message; "
        f"load generator {r['own_cpu'] * 1000 / max(r['messages'], 1):.0f} ms per message; load {_load()}"
    )
    print(
        f"  lost {r['lost']} of {n:,} (console, message); without the row or the counts {r['partial']}; "
        f"row frames per console {r['frames_per_console']:.1f} (median {r['size']:,.0f} bytes); other frames "
        f"{dict(r['frames']) or 'none'}; closed early {dict(r['closed']) or 'none'}"
    )
    push99 = quantiles(r["push"])["p99"] if r["push"] else math.inf
    ok = push99 <= TARGET_P99_MS and r["lost"] == 0 and r["partial"] == 0
    print(f"  new row p99 <= {TARGET_P99_MS:.0f} ms and 0 lost: {_verdict(ok)}")


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"
