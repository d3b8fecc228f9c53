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
import asyncio
import collections
import hashlib
import json
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime

import _http
import _setup
from _server import HOST, port_in_use, run_async, server_problems, server_start, server_stop, server_wait

DB_NAME = "klantbeeld_bench_ingest"
SOURCE, RAW_SOURCE = "bench", "bench-raw"
TARGET_SINGLE_RATE, TARGET_SINGLE_P99_MS, TARGET_BATCH_RATE = 1_000, 50.0, 10_000
CHANNELS = ["chat", "email", "whatsapp", "phone", "web", "store"]
SUMMARIES = [
    "Asked when the order will be delivered",
    "Wants to change the delivery address",
    "Question about the invoice",
    "Asked how to return an item",
    "Thanked us for the quick help",
]


def quantiles(samples_ms: list[float]) -> dict:
    if len(samples_ms) < 2:
        value = samples_ms[0] if samples_ms else float("nan")
        return {"p50": value, "p95": value, "p99": value, "max": value}
    q = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"p50": q[49], "p95": q[94], "p99": q[98], "max": max(samples_ms)}


class Events:
    """Unique interaction.recorded events, spread at random over the seeded customers."""

    def __init__(self, emails: list[str], run: str, seed: int = 1):
        self.emails, self.run, self.rng, self.n = emails, run, random.Random(seed), 0
        self.occurred_at = datetime.now(UTC).isoformat(timespec="seconds")

    def one(self, email: str | None = None) -> dict:
        self.n += 1
        return {
            "id": f"{self.run}-{self.n}",
            "type": "interaction.recorded",
            "occurred_at": self.occurred_at,
            "customer": {"email": email or self.rng.choice(self.emails)},
            "data": {
                "channel": self.rng.choice(CHANNELS),
                "direction": "inbound",
                "summary": self.rng.choice(SUMMARIES),
            },
        }


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


# --- the ceiling: the same rows with plain psycopg ----------------------------------------


def _body_hash(payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class Raw:
    """Writes the rows the API writes for an interaction.recorded event, without Django."""

    def __init__(self, tables: dict, token_id: int):
        t = tables
        self.seq_sql = f"UPDATE {t['customer']} SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq"
        self.entry_sql = (
            f"INSERT INTO {t['entry']} (customer_id, seq, kind, channel, direction, occurred_at, recorded_at, "
            "summary, body, actor_source, raw) VALUES (%s, %s, 'interaction', %s, 'inbound', %s, %s, %s, '', %s, %s) "
            "RETURNING id"
        )
        self.inbound_sql = (
            f"INSERT INTO {t['inbound']} (source, event_id, type, body_hash, body, customer_id, token_id, response, "
            "received_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        )
        # The batched variant, set-based.
        self.seqs_sql = (
            f"UPDATE {t['customer']} c SET last_seq = c.last_seq + v.n FROM unnest(%s::bigint[], %s::bigint[]) "
            "AS v(id, n) WHERE c.id = v.id RETURNING c.id, c.last_seq"
        )
        self.entries_sql = (
            f"INSERT INTO {t['entry']} (customer_id, seq, kind, channel, direction, occurred_at, recorded_at, "
            "summary, body, actor_source, raw) SELECT customer_id, seq, 'interaction', channel, 'inbound', "
            "occurred_at, recorded_at, summary, '', actor_source, raw::jsonb FROM unnest(%s::bigint[], %s::bigint[], "
            "%s::text[], %s::timestamptz[], %s::timestamptz[], %s::text[], %s::text[], %s::text[]) "
            "AS v(customer_id, seq, channel, occurred_at, recorded_at, summary, actor_source, raw) "
            "RETURNING id, customer_id, seq"
        )
        self.inbounds_sql = (
            f"INSERT INTO {t['inbound']} (source, event_id, type, body_hash, body, customer_id, token_id, response, "
            "received_at) SELECT source, event_id, type, body_hash, body::jsonb, customer_id, token_id, "
            "response::jsonb, received_at FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], "
            "%s::bigint[], %s::bigint[], %s::text[], %s::timestamptz[]) "
            "AS v(source, event_id, type, body_hash, body, customer_id, token_id, response, received_at)"
        )
        self.token_id = token_id

    def entry_params(self, customer_id: int, seq: int, payload: dict, now: datetime) -> tuple:
        from psycopg.types.json import Jsonb

        return (
            customer_id,
            seq,
            payload["data"]["channel"],
            payload["occurred_at"],
            now,
            payload["data"]["summary"],
            RAW_SOURCE,
            Jsonb(payload),
        )

    def inbound_params(self, customer: tuple, seq: int, entry_id: int, payload: dict, now: datetime) -> tuple:
        from psycopg.types.json import Jsonb

        customer_id, number, _ = customer
        response = {
            "event": {"id": payload["id"], "type": payload["type"], "source": RAW_SOURCE},
            "customer": {"id": customer_id, "customer_number": number, "created": False},
            "timeline_entry": {"id": entry_id, "seq": seq},
        }
        return (
            RAW_SOURCE,
            payload["id"],
            payload["type"],
            _body_hash(payload),
            Jsonb(payload),
            customer_id,
            self.token_id,
            Jsonb(response),
            now,
        )

    def one(self, conn, customer: tuple, payload: dict) -> None:
        now = datetime.now(UTC)
        with conn.transaction(), conn.cursor() as cur:
            seq = cur.execute(self.seq_sql, (customer[0],)).fetchone()[0]
            entry_id = cur.execute(self.entry_sql, self.entry_params(customer[0], seq, payload, now)).fetchone()[0]
            cur.execute(self.inbound_sql, self.inbound_params(customer, seq, entry_id, payload, now))

    def many(self, conn, batch: list[tuple[tuple, dict]]) -> None:
        """Set-based: one UPDATE hands out the seqs, one INSERT per table, all from arrays (unnest)."""
        now = datetime.now(UTC)
        counts = collections.Counter(c[0] for c, _ in batch)
        with conn.transaction(), conn.cursor() as cur:
            tops = dict(cur.execute(self.seqs_sql, (list(counts), list(counts.values()))).fetchall())
            next_seq = {cid: top - counts[cid] + 1 for cid, top in tops.items()}
            seqs = []
            for c, _ in batch:
                seqs.append(next_seq[c[0]])
                next_seq[c[0]] += 1
            entries = [self.entry_params(c[0], seq, p, now) for (c, p), seq in zip(batch, seqs, strict=True)]
            ids = {(cid, seq): eid for eid, cid, seq in cur.execute(self.entries_sql, _columns(entries)).fetchall()}
            cur.execute(
                self.inbounds_sql,
                _columns(
                    [
                        self.inbound_params(c, seq, ids[c[0], seq], p, now)
                        for (c, p), seq in zip(batch, seqs, strict=True)
                    ]
                ),
            )


def _columns(rows: list[tuple]) -> list[list]:
    """Rows to one array per column; JSON values as text, cast to jsonb in the statement."""
    from psycopg.types.json import Jsonb

    return [[json.dumps(v.obj) if isinstance(v, Jsonb) else v for v in column] for column in zip(*rows, strict=True)]


def ceiling(
    *, raw: Raw, customers: list[tuple], threads: int, per_txn: int, warmup: float, seconds: float, run: str
) -> tuple[float, list[str]]:
    """Events/s written by ``threads`` connections, ``per_txn`` events per transaction."""
    import psycopg

    t0 = time.perf_counter() + warmup
    t1 = t0 + seconds
    done = [0] * threads
    errors: list[str] = []

    def worker(i: int):
        # Batched writers each get their own customers: no lock waits between them, the best case.
        mine = customers[i::threads] if per_txn > 1 else customers
        events = Events([], f"{run}-{i}", seed=100 + i)
        rng = random.Random(200 + i)
        try:
            with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
                while time.perf_counter() < t1:
                    if per_txn == 1:
                        customer = rng.choice(mine)
                        raw.one(conn, customer, events.one(customer[2]))
                    else:
                        picked = [rng.choice(mine) for _ in range(per_txn)]
                        raw.many(conn, [(c, events.one(c[2])) for c in picked])
                    if t0 <= time.perf_counter() <= t1:
                        done[i] += per_txn
        except Exception as exc:  # reported at the end, not hidden
            errors.append(f"{type(exc).__name__}: {exc}"[:300])

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(done) / seconds, errors


# --- the run ------------------------------------------------------------------------------


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
