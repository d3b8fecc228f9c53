"""Live console pushes on the full stack: PostgreSQL + Redis + uvicorn with 2 workers, websockets.

Usage: python bench/live.py [--clients 1000] [--seconds 20] [--rate 100] [--max-broadcast 2000]
                            [--step 250] [--broadcast-events 20] [--no-deflate] [--by-second]

Every client is a websocket on /ws/console/?customer=ID with the session cookie of one user of
role ``phone`` and the page's Origin, speaking the protocol of docs/live.md: on connect it sends
``resume`` after the customer's latest seq and counts as subscribed when the ``seq`` answer
comes (the consumer joins the customer's group before it reads the first message).

1. memory: resident memory (VmRSS) of the two uvicorn workers before and after the targeted
   clients connect, once they have been idle for a tick; the growth per connection;
2. targeted: ``--clients`` clients each on its own customer plus 10 on one shared customer;
   interaction.recorded events through POST /api/v1/events at ``--rate`` per second for
   ``--seconds``, round robin over the customers, every 10th on the shared one. The latency of
   each entry at each subscribed client runs from the start of the API call to the frame with
   its ``data-seq`` (seq from the API answer). After ``--grace`` seconds the clients' entries are
   compared with the database: "lost by push" is an entry a client never got pushed; then every
   client with a gap sends ``resume`` and "lost after resume" is what is still missing. An entry
   pushed twice to one client is a duplicate;
3. broadcast (the websocket-shootout method): clients on one more customer, ``--step`` at a
   time up to ``--max-broadcast``; at each step ``--broadcast-events`` events at 10/s and the
   p95 delivery latency over all (client, entry) pairs, a delivery missing after the grace
   period counting as infinitely late. Stops at the first step whose p95 exceeds 250 ms.

Needs PostgreSQL (BENCH_DATABASE_URL) and Redis (REDIS_URL) as bench/ingest.py does. The channel
groups are named by customer id, so another server on the same Redis database (a test run, a
dev server) can push into this run's groups: use a database of its own, e.g.
REDIS_URL=redis://127.0.0.1:6379/9. The first run seeds the customers it needs (no entries).
The load generator is one asyncio process on the same cores as uvicorn, PostgreSQL and Redis;
its own scheduling delay is in every figure.
"""

import argparse
import os
import resource
import tempfile

import _server
import _setup
from _live_clients import Site
from _live_db import session_cookie
from _live_measure import load_average
from _live_phases import SHARED_CLIENTS, TARGET_BROADCAST_P95_MS, WARMUP_CLIENTS, run

DB_NAME = "klantbeeld_bench_live"
SOURCE = "bench-live"
TARGET_P99_MS, TARGET_BROADCAST, TARGET_KIB = 100.0, 2_000, 50.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=1_000, help="targeted clients, one per customer (1,000)")
    parser.add_argument("--seconds", type=float, default=20, help="targeted: seconds of events (20)")
    parser.add_argument("--rate", type=float, default=100, help="targeted: events per second (100)")
    parser.add_argument("--grace", type=float, default=3, help="seconds to wait for late pushes (3)")
    parser.add_argument("--max-broadcast", type=int, default=2_000, help="broadcast: most clients (2,000)")
    parser.add_argument("--step", type=int, default=250, help="broadcast: clients added per step (250)")
    parser.add_argument("--broadcast-events", type=int, default=20, help="broadcast: events per step (20)")
    parser.add_argument("--tick", type=float, default=5, help="LIVE_TICK_SECONDS for the server (5)")
    parser.add_argument(
        "--no-deflate",
        action="store_true",
        help="do not offer permessage-deflate (browsers do, so the default offers it)",
    )
    parser.add_argument("--by-second", action="store_true", help="targeted: print latency by second of the run")
    parser.add_argument("--port", type=int, default=8022)
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for uvicorn (repeatable)",
    )
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError):
        pass
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    need = args.clients + SHARED_CLIENTS + args.max_broadcast + 200
    if nofile < need:
        raise SystemExit(f"open-files limit {nofile} (hard {hard}) is below the {need} this run needs")

    os.environ["SECRET_KEY"] = _server.SECRET_KEY  # the session cookie must verify on the server
    _setup.database(DB_NAME)
    from django.db import connections

    from console.customers.models import Customer, Identifier
    from console.ingest.models import ApiToken

    needed = args.clients + 2 + WARMUP_CLIENTS
    have = Customer.objects.filter(customer_number__startswith="B-").count()
    if have < needed:
        _setup.seed_bulk(customers=needed - have, entries_per_customer=0)
    customers = list(
        Identifier.objects.filter(kind=Identifier.Kind.EMAIL, customer__customer_number__startswith="B-")
        .order_by("customer_id")
        .values_list("customer_id", "value")[:needed]
    )
    cookie = session_cookie()
    token, plain = ApiToken.issue(source=SOURCE, scopes=["events:write"])
    connections.close_all()

    cores = os.cpu_count()
    print(
        f"live console on {os.environ['DATABASE_URL'].rsplit('@', 1)[-1]} and {os.environ['REDIS_URL']}: "
        "uvicorn --workers 2, "
        f"{cores} cores, LIVE_TICK_SECONDS={args.tick:g}, open-files limit {nofile:,} (was {soft:,})"
    )
    print(
        f"  note: the load generator (1 asyncio process, every websocket client and the API calls) runs "
        f"on the same {cores} cores as uvicorn, PostgreSQL and Redis; its CPU and scheduling delay are in "
        "every latency below"
    )
    print(f"  load average before the run: {load_average()}")
    if _server.port_in_use(args.port):
        raise SystemExit(f"Port {args.port} is already in use; stop that server or pass --port.")
    log = tempfile.NamedTemporaryFile("w+", prefix="bench-live-uvicorn-", suffix=".log", delete=False)
    extra_env = {"LIVE_TICK_SECONDS": f"{args.tick:g}", **dict(i.split("=", 1) for i in args.server_env)}
    proc = _server.server_start(args.port, log, extra_env)
    try:
        result = _server.run_async(
            run(args, proc, Site(args.port, cookie, not args.no_deflate), plain, customers, log.name)
        )
    finally:
        _server.server_stop(proc)
        log.close()
        token.revoke()
    problems = _server.server_problems(log.name)
    if problems:
        print(f"SERVER LOG: {sum(problems.values()):,} error lines (full log: {log.name}):")
        for line, count in problems.most_common(8):
            print(f"    {count:,}x {line}")
    else:
        print("server log: no errors")
        os.unlink(log.name)

    q = result["targeted_q"]
    exceeded = result["broadcast_exceeded"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    n = args.clients + SHARED_CLIENTS
    broadcast = f"p95 <= {TARGET_BROADCAST_P95_MS:.0f} ms up to {result['broadcast_max_ok']:,}" + (
        f", > at {exceeded:,}" if exceeded else ""
    )
    rows = [
        (
            f"targeted p99, {n:,} clients",
            f"{q['p99']:.1f} ms (p50 {q['p50']:.1f}, p95 {q['p95']:.1f})",
            f"<= {TARGET_P99_MS:.0f} ms",
            q["p99"] <= TARGET_P99_MS,
        ),
        (
            "lost by push / after resume",
            f"{result['lost_push']:,} / {result['lost_resume']:,}",
            "0",
            result["lost_push"] == 0 and result["lost_resume"] == 0,
        ),
        ("duplicated", f"{result['duplicated']:,}", "0", result["duplicated"] == 0),
        (
            "broadcast, one customer",
            broadcast,
            f">= {TARGET_BROADCAST:,} clients",
            # Met when every step up to the target stayed within it (a larger step may not).
            result["broadcast_max_ok"] >= TARGET_BROADCAST,
        ),
        (
            "memory per idle connection",
            f"{result['kib_per_conn']:.1f} KiB",
            f"<= {TARGET_KIB:.0f} KiB",
            result["kib_per_conn"] <= TARGET_KIB,
        ),
    ]
    print()
    print(f"{'':30} {'result':38} {'target':18}")
    for label, value, target, ok in rows:
        print(f"{label:30} {value:38} {target:18} {verdict(ok)}")
    print(
        f"({cores} cores shared by the load generator, uvicorn x2, PostgreSQL and Redis; "
        f"load average now {load_average()}; server errors: {'SEE ABOVE' if problems else 'none'})"
    )


if __name__ == "__main__":
    main()
