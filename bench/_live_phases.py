"""The three phases of bench/live.py on a running server: memory of idle connections, targeted
pushes (one customer per client, and a shared one) with what was lost, and the broadcast to
ever more clients on one customer."""

import asyncio
import math
import os
import random
import time
import uuid

import _server
from _live_clients import Client, Site, close_all
from _live_db import db_entries, db_latest
from _live_measure import by_second, closes, deliveries, frames, load_average, memory, resume_gaps, settle
from _live_poster import Poster
from _stats import quantiles, rank

SHARED_CLIENTS, SHARED_EVERY = 10, 10
WARMUP_CLIENTS = 20
BROADCAST_RATE = 10.0  # events/s while measuring a broadcast step
# The broadcast phase stops at the first step whose p95 goes over this; bench/live.py's verdict
# holds the result against the same figure.
TARGET_BROADCAST_P95_MS = 250.0


async def run(args, proc, site: Site, token: str, customers: list[tuple[int, str]], log_path: str) -> dict:
    result: dict = {}
    ids = [cid for cid, _ in customers]
    email_of = dict(customers)
    latest = await asyncio.to_thread(db_latest, ids)
    targeted_ids = ids[: args.clients]
    shared_id, broadcast_id = ids[args.clients], ids[args.clients + 1]
    warm_ids = ids[args.clients + 2 : args.clients + 2 + WARMUP_CLIENTS]
    poster = Poster(site.port, token, f"live-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}")
    try:
        await _server.server_wait(proc, site.port, log_path)
        # Warm-up: both workers import and render everything once, the pools fill.
        warm, failures, _ = await site.connect(warm_ids, latest)
        if failures or not warm:
            raise SystemExit(f"warm-up clients could not subscribe: {dict(failures)}\n{_server._tail(log_path)}")
        print(f"  websocket compression: {'permessage-deflate' if warm[0].deflate else 'none'}")
        await poster.post([email_of[c] for c in warm_ids] * 2, 20)
        await asyncio.sleep(1)
        await close_all(warm)
        await asyncio.sleep(2)

        # 1. memory, and 2. targeted on the same clients.
        rss_before, per_worker_before = memory(proc)
        wanted = targeted_ids + [shared_id] * SHARED_CLIENTS
        clients, failures, took = await site.connect(wanted, latest)
        print(
            f"targeted: {len(clients):,} of {len(wanted):,} clients subscribed in {took:.1f} s "
            f"({args.clients:,} customers with one, 1 with {SHARED_CLIENTS})"
        )
        for what, n in failures.items():
            print(f"    CONNECT PROBLEM {n:,}x {what}")
        await asyncio.sleep(args.tick + 1)  # idle through a tick: presence and seq messages once
        rss_after, per_worker_after = memory(proc)
        growth = rss_after - rss_before
        result["kib_per_conn"] = growth / len(clients) if clients else float("nan")
        print(
            f"memory: uvicorn workers {', '.join(f'{per_worker_before[p] / 1024:.0f}' for p in per_worker_before)}"
            f" MiB -> {', '.join(f'{per_worker_after.get(p, 0) / 1024:.0f}' for p in per_worker_before)} MiB "
            f"after {len(clients):,} idle connections: +{growth / 1024:.1f} MiB, "
            f"{result['kib_per_conn']:.1f} KiB per connection"
        )

        plan_customers = targeted_ids[:]
        random.Random(5).shuffle(plan_customers)
        total = int(args.rate * args.seconds)
        plan, others = [], iter(plan_customers * (total // max(1, len(plan_customers)) + 1))
        for i in range(total):
            plan.append(shared_id if i % SHARED_EVERY == 0 else next(others))
        print(
            f"  posting {total:,} events at {args.rate:.0f}/s for {args.seconds:.0f} s "
            f"(every {SHARED_EVERY}th on the shared customer); load average {load_average()}"
        )
        started_cpu = time.process_time()
        posted = await poster.post([email_of[c] for c in plan], args.rate)
        await settle(clients, posted, args.grace)
        cpu = time.process_time() - started_cpu
        subscribed = {c.customer_id for c in clients}
        in_db = await asyncio.to_thread(db_entries, {cid: latest[cid] for cid in subscribed})
        samples, _ = deliveries(clients, posted)
        if args.by_second:
            by_second(clients, posted)
        expected = sum(len(in_db.get(c.customer_id, ())) for c in clients)
        lost_push = sum(len(in_db.get(c.customer_id, set()) - set(c.pushed)) for c in clients)
        asked, reconnected = await resume_gaps(clients, in_db, site, latest, timeout=10)
        lost_resume = sum(len(in_db.get(c.customer_id, set()) - set(c.pushed) - c.replayed) for c in clients)
        duplicated = sum(len(c.duplicates) for c in clients)
        unexpected = sum(len(set(c.pushed) - in_db.get(c.customer_id, set())) for c in clients)
        q = quantiles(samples)
        result.update(
            targeted_q=q, lost_push=lost_push, lost_resume=lost_resume, duplicated=duplicated, targeted_n=len(samples)
        )
        print(
            f"  {len(posted):,} events answered 201 ({sum(poster.problems.values())} failed), "
            f"{expected:,} (client, entry) deliveries due, {len(samples):,} pushed and measured"
        )
        print(
            f"  latency API call start -> entry frame: p50 {q['p50']:.1f} ms, p95 {q['p95']:.1f} ms, "
            f"p99 {q['p99']:.1f} ms, max {q['max']:.1f} ms"
        )
        print(
            f"  lost by push {lost_push:,}; after resume ({asked} clients sent resume, {reconnected} closed "
            f"ones reconnected) {lost_resume:,}; duplicated {duplicated:,} (on "
            f"{sum(1 for c in clients if c.duplicates)} clients); pushed but not in the database {unexpected}"
        )
        api = quantiles(poster.api_ms)
        if unexpected:
            print(
                "  WARNING: entries this run did not write reached its clients: something else publishes to the "
                "same customer groups on this Redis; give the benchmark a Redis database of its own (REDIS_URL)"
            )
        print(
            f"  API answers: p50 {api['p50']:.1f} ms, p95 {api['p95']:.1f} ms, p99 {api['p99']:.1f} ms, "
            f"max {api['max']:.1f} ms"
        )
        lag = quantiles(poster.lag_ms)
        print(
            f"  load generator: {cpu / (args.seconds + args.grace):.0%} of one core; API calls started "
            f"late by p99 {lag['p99']:.1f} ms, max {lag['max']:.1f} ms; load average {load_average()}"
        )
        print(f"  frames: {dict(frames(clients))}; closed early: {dict(closes(clients)) or 'none'}")
        for what, n in poster.problems.items():
            print(f"    API PROBLEM {n:,}x {what}")
        await close_all(clients)
        await asyncio.sleep(2)

        # 3. broadcast.
        print(
            f"broadcast: clients on one customer, +{args.step} a step, {args.broadcast_events} events "
            f"at {BROADCAST_RATE:.0f}/s per step"
        )
        crowd: list[Client] = []
        result["broadcast_exceeded"] = None
        result["broadcast_max_ok"] = 0
        size = 0
        while size < args.max_broadcast:
            size = min(size + args.step, args.max_broadcast)
            latest[broadcast_id] = (await asyncio.to_thread(db_latest, [broadcast_id]))[broadcast_id]
            more, failures, took = await site.connect([broadcast_id] * (size - len(crowd)), latest)
            crowd += more
            await asyncio.sleep(1)
            before = frames(crowd)
            poster.problems.clear()
            poster.api_ms.clear()
            workers = _server.worker_pids(proc)
            cpu_before, own_before = _server.cpu_seconds(workers), sum(os.times()[:2])
            posted = await poster.post([email_of[broadcast_id]] * args.broadcast_events, BROADCAST_RATE)
            await settle(crowd, posted, args.grace)
            samples, missing = deliveries(crowd, posted)
            # CPU per entry frame: steadier than the latencies from run to run, so it tells whether
            # a change to the server's push path made each frame cheaper.
            cpu = (_server.cpu_seconds(workers) - cpu_before) * 1e6 / max(len(samples), 1)
            own = (sum(os.times()[:2]) - own_before) * 1e6 / max(len(samples), 1)
            p50, p95 = rank(samples + [math.inf] * missing, 50), rank(samples + [math.inf] * missing, 95)
            other = frames(crowd) - before
            other.pop("entry", None)
            print(
                f"  {len(crowd):>5,} clients (+{len(more)} in {took:.1f} s): p50 {p50:7.1f} ms, p95 {p95:7.1f} ms, "
                f"max {max(samples, default=math.nan):7.1f} ms; {missing:,} of "
                f"{missing + len(samples):,} deliveries missing; API p95 {quantiles(poster.api_ms)['p95']:.0f} ms; "
                f"other frames {dict(other) or 'none'}; load {os.getloadavg()[0]:.2f}; CPU per frame: "
                f"server {cpu:.0f} µs, load generator {own:.0f} µs"
            )
            for what, n in list(failures.items()) + list(poster.problems.items()):
                print(f"    PROBLEM {n:,}x {what}")
            if closes(crowd):
                print(f"    closed early: {dict(closes(crowd))}")
            if p95 > TARGET_BROADCAST_P95_MS or len(more) == 0:
                result["broadcast_exceeded"] = len(crowd)
                break
            result["broadcast_max_ok"] = len(crowd)
        await close_all(crowd)
    finally:
        poster.close()
    return result
