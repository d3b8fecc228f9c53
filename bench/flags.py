"""Nightly flag recomputation at 100k customers with 1M invoices, and the credit check API's p95.

Usage: python bench/flags.py [--customers 100000] [--invoices-per-customer 10] [--checks 500]
Needs PostgreSQL (BENCH_DATABASE_URL) and Redis. The first run seeds the data (customers
through seed_demo's bulk mode; invoices, orders, returns, addresses and ID documents with set
inserts, as a legacy load would); later runs reuse it.

Prints, for the nightly run:
- the first run (every flag new: 4 per customer written, with history),
- a typical night (the clock a day on: invoices turn overdue, reasons' day counts change),
- a night with nothing to change,
each with its wall time, how many customers changed, and this process's peak memory growth.
Then the credit check through the API of a 2-worker uvicorn: p50 / p95 over random customers.
"""

import argparse
import datetime as dt
import random
import resource
import time

import _setup

TARGET_NIGHTLY_S = 60.0
TARGET_CHECK_P95_MS = 20.0


def seed(customers: int, per_customer: int) -> None:
    from django.db import connection

    from console.customers.models import Customer

    have = Customer.objects.count()
    if have < customers:
        _setup.seed_bulk(customers=customers - have, entries_per_customer=0)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM commerce_invoice")
        if cur.fetchone()[0] >= customers * per_customer:
            return
        started = time.perf_counter()
        # Invoices: due dates from 150 days ago to 30 days ahead; most paid, some partly, some not.
        cur.execute(
            """INSERT INTO commerce_invoice
                 (customer_id, invoice_number, amount, paid_amount, currency, issued_on, due_on, reminders_sent)
               SELECT c.id, 'BF-' || c.id || '-' || g,
                      round((20 + random() * 480)::numeric, 2) AS amount, 0, 'EUR',
                      current_date - (d + 14), current_date - d, 0
               FROM customers_customer c, generate_series(1, %s) g,
                    LATERAL (SELECT (floor(random() * 180) - 30)::int AS d) due""",
            [per_customer],
        )
        cur.execute(
            """UPDATE commerce_invoice SET paid_amount = CASE WHEN random() < 0.9 THEN amount
                                                            ELSE round(amount * random()::numeric, 2) END
               WHERE invoice_number LIKE 'BF-%%' AND due_on < current_date - 20"""
        )
        cur.execute(
            """INSERT INTO commerce_order (customer_id, order_number, status, total, currency, placed_at, source)
               SELECT c.id, 'BO-' || c.id || '-' || g, 'delivered', round((10 + random() * 900)::numeric, 2), 'EUR',
                      now() - (random() * interval '500 days'), 'bench'
               FROM customers_customer c, generate_series(1, 3) g"""
        )
        cur.execute(
            """INSERT INTO commerce_return (customer_id, order_id, return_number, reason, status, opened_at)
               SELECT o.customer_id, o.id, 'BR-' || o.id, 'unwanted', 'refunded', o.placed_at + interval '5 days'
               FROM commerce_order o WHERE o.source = 'bench' AND random() < 0.1"""
        )
        cur.execute(
            """UPDATE customers_customer SET id_document_type = 'Paspoort', id_document_last4 = '1234',
                      id_document_expires_on = current_date + (floor(random() * 3000) - 200)::int
               WHERE random() < 0.6"""
        )
        # One postal address each; one in a hundred came back as undeliverable.
        cur.execute(
            """INSERT INTO customers_address
                 (customer_id, street, postal_code, city, country, is_primary, status, status_evidence)
               SELECT c.id, 'Benchstraat ' || c.id, '1234 AB', 'Utrecht', 'NL', true,
                      CASE WHEN random() < 0.01 THEN 'undeliverable' ELSE 'ok' END, ''
               FROM customers_customer c
               WHERE NOT EXISTS (SELECT 1 FROM customers_address a WHERE a.customer_id = c.id)"""
        )
        cur.execute("ANALYZE")
    print(f"seeded invoices, orders, returns, IDs and addresses in {time.perf_counter() - started:.0f} s")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def nightly(label: str) -> float:
    from console.flags.services import flags_recompute

    before = peak_rss_mib()
    started = time.perf_counter()
    changed = flags_recompute()
    took = time.perf_counter() - started
    verdict = "met" if took <= TARGET_NIGHTLY_S else "NOT met"
    print(
        f"  {label:<28} {took:6.1f} s  {changed:>7,} customers changed  "
        f"peak memory +{peak_rss_mib() - before:5.1f} MiB  (target <= 60 s: {verdict})"
    )
    return took


async def credit_checks(port: int, token: str, ids: list[int]) -> list[float]:
    import _http
    import _server

    conn = _http.Connection(_server.HOST, port, {"Authorization": f"Bearer {token}"})
    samples = []
    rng = random.Random(3)
    for pk in ids:
        amount = rng.choice(["90.00", "450.00", "900.00", "6000.00"])
        started = time.perf_counter()
        status, body = await conn.request("GET", f"/api/v1/customers/{pk}/credit-check?amount={amount}&currency=EUR")
        samples.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"credit check for customer {pk} answered {status}: {body[:300]!r}")
    conn.close()
    return samples


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--invoices-per-customer", type=int, default=10)
    parser.add_argument("--checks", type=int, default=500)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    _setup.database("klantbeeld_bench_flags")
    import time_machine
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from console.customers.models import Customer
    from console.flags.models import Flag, FlagChange
    from console.ingest.models import ApiToken

    seed(args.customers, args.invoices_per_customer)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM commerce_invoice")
        invoices = cur.fetchone()[0]
    print(f"nightly recomputation: {Customer.objects.count():,} customers, {invoices:,} invoices, 4 flags each")
    Flag.objects.all().delete()
    FlagChange.objects.all().delete()
    nightly("first run (all flags new)")
    nightly("nothing changed")
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=True):
        nightly("typical night (a day on)")
    levels = dict(Flag.objects.filter(kind="credit").values_list("level").annotate(n=Count("id")).order_by())
    print(f"  credit levels now: {levels}")

    import _server

    token, plain = ApiToken.issue(source="bench-orders", scopes=["customers:read"])
    ids = random.Random(5).sample(list(Customer.objects.values_list("pk", flat=True)), args.checks)
    log_path = "/tmp/klantbeeld-bench-flags.log"
    with open(log_path, "w") as log:
        proc = _server.server_start(args.port, log, {})
        try:
            _server.run_async(_server.server_wait(proc, args.port, log_path))
            _server.run_async(credit_checks(args.port, plain, ids[:50]))  # warm up both workers
            samples = _server.run_async(credit_checks(args.port, plain, ids))
        finally:
            _server.server_stop(proc)
            token.revoke()
    stats = _setup.percentiles(samples)
    verdict = "met" if stats["p95"] <= TARGET_CHECK_P95_MS else "NOT met"
    print(f"credit check API, {len(samples)} requests: {_setup.fmt(stats)}  target p95 <= 20 ms: {verdict}")
    problems = _server.server_problems(log_path)
    if problems:
        print("server log problems:", dict(problems.most_common(5)))


if __name__ == "__main__":
    main()
