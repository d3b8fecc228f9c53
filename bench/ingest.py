"""Event API throughput on the full stack: PostgreSQL + Redis + uvicorn with 2 workers.

Usage: python bench/ingest.py [--seconds 20] [--clients 16] [--batch-clients 4] [--skip-ceiling]

1. single events: ``--clients`` keep-alive connections POST interaction.recorded events to
   /api/v1/events for ``--seconds`` after a warm-up; events/s and p50/p95/p99 latency;
2. batches: ``--batch-clients`` connections POST 500 events at a time to /api/v1/events/batch;
   events/s and p50/p95/p99 per batch, every item must answer 201;
3. the ceiling: the same rows (inbound event, customer seq, timeline entry) written with plain
   psycopg on the same database, one transaction per event (``--clients`` threads: UPDATE the
   customer's last_seq, INSERT the entry, INSERT the inbound event) and 500 events per
   transaction (``--batch-clients`` threads, each on its own customers, set-based statements).

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432) and Redis
(REDIS_URL, default redis://127.0.0.1:6379/0). The first run seeds 10,000 customers (seconds);
every run adds its events to the same database. The load generator is one asyncio process
that shares the machine's cores with the server, PostgreSQL and Redis.
"""

import argparse
import json
import os
import tempfile
import time
import uuid

import _setup
from _api_load import batch_check, load, print_phase, single_check
from _ceiling import Raw, ceiling
from _events import Events
from _server import port_in_use, run_async, server_problems, server_start, server_stop, server_wait
from _stats import quantiles

DB_NAME = "klantbeeld_bench_ingest"
SOURCE = "bench"
TARGET_SINGLE_RATE, TARGET_SINGLE_P99_MS, TARGET_BATCH_RATE = 1_000, 50.0, 10_000


def seq_check(tables: dict) -> tuple[int, int]:
    """(customers whose last_seq differs from their entry count or top seq, bench customers)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            f"SELECT count(*) FILTER (WHERE c.last_seq <> coalesce(t.n, 0) OR c.last_seq <> coalesce(t.top, 0)), "
            f"count(*) FROM {tables['customer']} c LEFT JOIN (SELECT customer_id, count(*) AS n, max(seq) AS top "
            f"FROM {tables['entry']} GROUP BY customer_id) t ON t.customer_id = c.id "
            "WHERE c.customer_number LIKE 'B-%%'"
        )
        return cur.fetchone()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per phase (default 20)")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds before each phase (default 3)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent single-event clients (default 16)")
    parser.add_argument("--batch-clients", type=int, default=4, help="concurrent batch clients (default 4)")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--customers", type=int, default=10_000, help="seeded customers (default 10,000)")
    parser.add_argument("--port", type=int, default=8021)
    parser.add_argument("--skip-ceiling", action="store_true", help="skip the plain-psycopg ceiling")
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for uvicorn, e.g. DB_CONN_MAX_AGE=0 (repeatable)",
    )
    args = parser.parse_args()

    _setup.database(DB_NAME)
    from django.db import connections

    from console.customers.models import Customer, Identifier
    from console.ingest.models import ApiToken, InboundEvent
    from console.timeline.models import TimelineEntry

    have = Customer.objects.filter(customer_number__startswith="B-").count()
    if have < args.customers:
        _setup.seed_bulk(customers=args.customers - have, entries_per_customer=0)
    rows = (
        Identifier.objects.filter(kind=Identifier.Kind.EMAIL, customer__customer_number__startswith="B-")
        .order_by("customer_id")
        .values_list("customer_id", "customer__customer_number", "value")
    )
    customers = list(rows[: args.customers])
    emails = [email for _, _, email in customers]
    token, plain = ApiToken.issue(source=SOURCE, scopes=["events:write"])
    tables = {
        "customer": Customer._meta.db_table,
        "entry": TimelineEntry._meta.db_table,
        "inbound": InboundEvent._meta.db_table,
    }
    connections.close_all()
    run = f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
    print(
        f"event API on {os.environ['DATABASE_URL'].rsplit('@', 1)[-1]}: {len(customers):,} customers, "
        f"uvicorn --workers 2, {os.cpu_count()} cores"
    )
    print(
        f"  note: the load generator (1 asyncio process) runs on the same {os.cpu_count()} cores as uvicorn, "
        "PostgreSQL and Redis and takes CPU from them"
    )
    load_1m = os.getloadavg()[0]
    print(
        f"  load average before the run: {load_1m:.2f}"
        + ("  (WARNING: something else is using the CPU; the figures will be low)" if load_1m > 0.7 else "")
    )

    if port_in_use(args.port):
        raise SystemExit(f"Port {args.port} is already in use; stop that server or pass --port.")
    log = tempfile.NamedTemporaryFile("w+", prefix="bench-ingest-uvicorn-", suffix=".log", delete=False)
    extra_env = dict(item.split("=", 1) for item in args.server_env)
    if extra_env:
        print(f"  server environment: {' '.join(args.server_env)}")
    proc = server_start(args.port, log, extra_env)
    try:
        run_async(server_wait(proc, args.port, log.name))
        events = Events(emails, run)

        def single_body():
            return json.dumps(events.one()).encode()

        def batch_body():
            return json.dumps({"events": [events.one() for _ in range(args.batch_size)]}).encode()

        print(f"single events: {args.clients} clients, {args.warmup:.0f} s warm-up, {args.seconds:.0f} s measured")
        single = run_async(
            load(
                port=args.port,
                token=plain,
                path="/api/v1/events",
                clients=args.clients,
                warmup=args.warmup,
                seconds=args.seconds,
                body=single_body,
                check=single_check,
                timeout=30,
            )
        )
        print_phase("single", single, "per request")
        print(
            f"batches of {args.batch_size}: {args.batch_clients} clients, {args.warmup:.0f} s warm-up, "
            f"{args.seconds:.0f} s measured"
        )
        batch = run_async(
            load(
                port=args.port,
                token=plain,
                path="/api/v1/events/batch",
                clients=args.batch_clients,
                warmup=args.warmup,
                seconds=args.seconds,
                body=batch_body,
                check=batch_check,
                timeout=120,
            )
        )
        print_phase("batch", batch, "per batch")
    finally:
        server_stop(proc)
        log.close()
    problems = server_problems(log.name)
    if problems:
        print(f"  SERVER LOG: {sum(problems.values()):,} error lines (full log: {log.name}):")
        for line, count in problems.most_common(8):
            print(f"    {count:,}x {line}")
    else:
        os.unlink(log.name)

    raw_single = raw_batch = None
    if not args.skip_ceiling:
        raw = Raw(tables, token.pk)
        print(
            f"ceiling, plain psycopg: {args.clients} threads x 1 event/transaction, then "
            f"{args.batch_clients} threads x {args.batch_size} events/transaction"
        )
        raw_single, errors = ceiling(
            raw=raw,
            customers=customers,
            threads=args.clients,
            per_txn=1,
            warmup=1,
            seconds=args.seconds / 2,
            run=f"{run}-raw1",
        )
        raw_batch, more = ceiling(
            raw=raw,
            customers=customers,
            threads=args.batch_clients,
            per_txn=args.batch_size,
            warmup=1,
            seconds=args.seconds / 2,
            run=f"{run}-rawN",
        )
        for error in errors + more:
            print(f"    CEILING ERROR {error}")
    token.revoke()
    wrong, total = seq_check(tables)
    print(f"seq check: {total:,} bench customers, {wrong} whose last_seq differs from their entries")

    sq, bq = quantiles(single.samples_ms), quantiles(batch.samples_ms)
    single_ok = single.rate >= TARGET_SINGLE_RATE and sq["p99"] <= TARGET_SINGLE_P99_MS
    batch_ok = batch.rate >= TARGET_BATCH_RATE
    clean = not problems and not single.problems and not batch.problems and not single.examples and not batch.examples
    print()
    print(f"{'':32} {'events/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")

    def ms(q: dict) -> str:
        return " ".join(f"{q[k]:>8.1f}" for k in ("p50", "p95", "p99"))

    print(f"{f'API single, {args.clients} clients':32} {single.rate:>9,.0f} {ms(sq)}")
    print(
        f"{f'API batch {args.batch_size}, {args.batch_clients} clients':32} {batch.rate:>9,.0f} {ms(bq)}  "
        f"(per batch, {len(batch.samples_ms)} batches)"
    )
    if raw_single is not None:
        print(f"{'raw psycopg, 1 event/txn':32} {raw_single:>9,.0f}")
        print(f"{f'raw psycopg, {args.batch_size} events/txn':32} {raw_batch:>9,.0f}")
    print(
        f"target single >= {TARGET_SINGLE_RATE:,}/s with p99 <= {TARGET_SINGLE_P99_MS:.0f} ms: "
        f"{'met' if single_ok else 'NOT met'}; target batch >= {TARGET_BATCH_RATE:,}/s: "
        f"{'met' if batch_ok else 'NOT met'}; errors: {'none' if clean else 'SEE ABOVE'}"
    )
    print(
        f"({os.cpu_count()} cores shared by the load generator, uvicorn x2, PostgreSQL and Redis; "
        f"load average now {os.getloadavg()[0]:.2f})"
    )


if __name__ == "__main__":
    main()
