"""What bench/live.py measures on its clients: deliveries and their latency, the wait for late
pushes, the resume that fetches gaps, frames and closes, and the server's memory and load."""

import asyncio
import collections
import json
import os
import time

import _server
from _live_clients import Client, Site, close_all
from _live_poster import Posted
from _stats import rank


def deliveries(clients: list[Client], posted: list[Posted]) -> tuple[list[float], int]:
    """Latencies (ms) of every (subscribed client, posted entry) pair that was pushed; the missing count."""
    by_customer = collections.defaultdict(list)
    for c in clients:
        by_customer[c.customer_id].append(c)
    samples, missing = [], 0
    for p in posted:
        for c in by_customer.get(p.customer_id, ()):
            arrived = c.pushed.get(p.seq)
            if arrived is None:
                missing += 1
            else:
                samples.append((arrived - p.started) * 1000)
    return samples, missing


async def settle(clients: list[Client], posted: list[Posted], grace: float) -> None:
    """Wait until every posted entry reached every subscribed client, or ``grace`` seconds."""
    deadline = time.perf_counter() + grace
    while time.perf_counter() < deadline:
        if deliveries(clients, posted)[1] == 0:
            return
        await asyncio.sleep(0.1)


async def resume_gaps(
    clients: list[Client], in_db: dict[int, set[int]], site: "Site", latest: dict[int, int], timeout: float
) -> tuple[int, int]:
    """Clients missing entries ask for them as a page would: an open socket sends ``resume``, a
    closed one reconnects (and resumes on connect). Returns (clients that asked, reconnected)."""
    asking, reopen = [], []
    for c in clients:
        missing = in_db.get(c.customer_id, set()) - set(c.pushed)
        if not missing:
            continue
        if c.closed is None:
            c.replaying = True
            asking.append((c, missing))
            await c.ws.send(json.dumps({"type": "resume", "after": min(missing) - 1}))
        else:
            reopen.append((c, missing))
    if reopen:
        again, _, _ = await site.connect(
            [c.customer_id for c, _ in reopen],
            {**latest, **{c.customer_id: min(m) - 1 for c, m in reopen}},
            timeout=timeout,
        )
        for (old, _), new in zip(reopen, again, strict=False):
            old.replayed |= new.replayed
        await close_all(again)
    deadline = time.perf_counter() + timeout
    while asking and time.perf_counter() < deadline:
        if all(m <= c.replayed for c, m in asking):
            break
        await asyncio.sleep(0.1)
    return len(asking), len(reopen)


def by_second(clients: list[Client], posted: list[Posted]) -> None:
    """Latency by second of the run: a stall (a garbage collection, a checkpoint) shows as a
    second whose p99 stands out, where the run's quantiles only say that the tail is long."""
    by_customer = collections.defaultdict(list)
    for c in clients:
        by_customer[c.customer_id].append(c)
    t0 = min(p.started for p in posted)
    seconds = collections.defaultdict(list)
    for p in posted:
        for c in by_customer[p.customer_id]:
            if p.seq in c.pushed:
                seconds[int(p.started - t0)].append((c.pushed[p.seq] - p.started) * 1000)
    for second in sorted(seconds):
        got = seconds[second]
        print(f"    second {second:3}: {len(got):4} deliveries, p50 {rank(got, 50):6.1f}, p99 {rank(got, 99):6.1f} ms")


def frames(clients: list[Client]) -> collections.Counter:
    total = collections.Counter()
    for c in clients:
        total.update(c.frames)
    return total


def closes(clients: list[Client]) -> collections.Counter:
    return collections.Counter(c.closed for c in clients if c.closed)


def memory(proc) -> tuple[int, dict[int, int]]:
    found = _server.rss_kib(_server.worker_pids(proc))
    return sum(found.values()), found


def load_average() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())
