"""bench/inbox.py's live part: webcare consoles open on their team's inbox (_inbox_console.py) on
the full stack, inbound tweets through the event API, and what reached each console when."""

import asyncio
import collections
import json
import math
import os
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
    """Until every console has a trigger for every message and its lists are in, or ``grace``."""
    deadline = time.perf_counter() + grace
    while time.perf_counter() < deadline:
        if all(len(c.triggers) >= messages and c.idle for c in consoles):
            return
        await asyncio.sleep(0.05)


def analyse(consoles: list[Console], posted: list[Posted], base: int, delay: float) -> dict:
    """Each (console, message): the trigger is the console's first after the POST started and
    before the next POST started; its list, the first fetch after that trigger."""
    starts = [p.started for p in posted] + [math.inf]
    made = [sum(p.status == 201 for p in posted[: k + 1]) for k in range(len(posted))]  # conversations so far
    push, push_answer, lists, gets, finished = [], [], [], [], collections.defaultdict(list)
    lost = extra = stale = no_list = 0
    for c in consoles:
        for k, p in enumerate(posted):
            if p.status != 201:  # refused: no conversation, nothing to tell
                continue
            mine = [t for t in c.triggers if starts[k] <= t < starts[k + 1]]
            if not mine:
                lost += 1
                continue
            extra += len(mine) - 1
            push.append((mine[0] - p.started) * 1000)
            push_answer.append((mine[0] - p.answered) * 1000)
            fetch = next((f for f in c.fetches if f.started >= mine[0]), None)
            if fetch is None or fetch.status != 200:
                no_list += 1
                continue
            stale += fetch.total < base + made[k]
            ms = (fetch.ended - p.started - delay) * 1000
            lists.append(ms)
            finished[k].append(ms)
        gets += [(f.ended - f.started) * 1000 for f in c.fetches]
    bursts = [max(v) for v in finished.values()]
    return {
        "push": push,
        "push_answer": push_answer,
        "lists": lists,
        "gets": gets,
        "bursts": bursts,
        "lost": lost,
        "extra": extra,
        "stale": stale,
        "no_list": no_list,
    }


def q(samples: list[float]) -> str:
    if not samples:
        return "none"
    s = quantiles(samples)
    return f"p50 {s['p50']:7.1f}  p95 {s['p95']:7.1f}  p99 {s['p99']:7.1f}  max {s['max']:7.1f} ms"


async def _run(args, proc, log_path: str, cookies: list[str], token: str, emails: list[str], run: str) -> dict:
    delay = None if args.no_fetch else args.delay
    consoles = [Console(args.port, cookie, delay) for cookie in cookies]
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
        pace = f"at {args.rate:g}/s" if args.rate > 0 else "one at a time (the next 1 s after every list is in)"
        print(
            f"  posting {args.messages} tweets {pace} to {len(consoles)} consoles "
            f"({base:,} open in webcare); load average {_load()}"
        )
        workers = _server.worker_pids(proc)
        cpu_before, own_before = _server.cpu_seconds(workers), sum(os.times()[:2])
        if args.rate > 0:
            posted = await post(args.port, token, bodies, args.rate)
            await settle(consoles, args.messages, args.grace)
        else:  # one at a time: the next a second after every console has its list
            posted = []
            for k, body in enumerate(bodies):
                posted += await post(args.port, token, [body], 1.0)
                await settle(consoles, k + 1, args.grace)
                await asyncio.sleep(1)
        cpu = _server.cpu_seconds(workers) - cpu_before
        own = sum(os.times()[:2]) - own_before
        result = analyse(consoles, posted, base, args.delay if delay is not None else 0.0)
        result.update(
            consoles=len(consoles),
            messages=len(posted),
            failed_posts=sum(p.status != 201 for p in posted),
            api=[(p.answered - p.started) * 1000 for p in posted],
            server_cpu=cpu,
            own_cpu=own,
            fetches=sum(len(c.fetches) for c in consoles),
            problems=sum((c.problems for c in consoles), collections.Counter()),
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
    what = (
        "trigger only (no refetch)" if args.no_fetch else f"refetch after the page's quiet {args.delay * 1000:.0f} ms"
    )
    print(
        f"live: {len(cookies)} webcare agents each with a console on {LIST}, uvicorn --workers 2, "
        f"{os.environ['DATABASE_URL'].rsplit('@', 1)[-1]} and {os.environ['REDIS_URL']}; {what}; "
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
    print(f"  trigger, POST start -> frame:    {q(r['push'])}  ({len(r['push']):,} of {n:,})")
    print(f"  trigger, POST answer -> frame:   {q(r['push_answer'])}")
    if not args.no_fetch:
        print(f"  list GET, sent -> answered:      {q(r['gets'])}  ({r['fetches']:,} GETs)")
        print(
            f"  new list, POST start -> list, less the {args.delay * 1000:.0f} ms quiet delay: {q(r['lists'])}; "
            f"stale (without the message) {r['stale']}, none {r['no_list']}"
        )
        print(f"  all {r['consoles']} lists in, per message (less the delay): {q(r['bursts'])}")
    per_message = r["server_cpu"] * 1000 / max(r["messages"], 1)
    per_get = r["server_cpu"] * 1000 / max(r["fetches"], 1)
    print(
        f"  server CPU (both workers): {per_message:.0f} ms per message"
        + (f", {per_get:.1f} ms per list GET" if r["fetches"] else "")
        + f"; load generator {r['own_cpu'] * 1000 / max(r['messages'], 1):.0f} ms per message; load {_load()}"
    )
    print(
        f"  lost {r['lost']} of {n:,} (console, message); extra triggers {r['extra']}; other frames "
        f"{dict(r['frames']) or 'none'}; closed early {dict(r['closed']) or 'none'}"
    )
    for what, count in r["problems"].items():
        print(f"    FETCH PROBLEM {count}x {what}")
    push99 = quantiles(r["push"])["p99"] if r["push"] else math.inf
    print(f"  trigger p99 <= {TARGET_P99_MS:.0f} ms and 0 lost: {_verdict(push99 <= TARGET_P99_MS and r['lost'] == 0)}")
    if not args.no_fetch:
        list99 = quantiles(r["lists"])["p99"] if r["lists"] else math.inf
        print(
            f"  new list p99 <= {TARGET_P99_MS:.0f} ms (the quiet delay aside) and 0 lost: "
            f"{_verdict(list99 <= TARGET_P99_MS and r['lost'] == 0 and r['no_list'] == 0)}"
        )


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"
