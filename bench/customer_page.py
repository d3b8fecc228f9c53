"""Server time for the customer picture: a 10-entry and a 100,000-entry customer.

Usage: python bench/customer_page.py [--requests 200]
Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432). The first
run seeds 100,000 customers with 10 entries each plus one customer with 100,000 entries
(a few minutes); later runs reuse that database.
"""

import argparse
import time

import _setup

TARGET_P95_MS = 50.0
TARGET_RATIO = 1.2


def measure(client, url: str, requests: int) -> list[float]:
    for _ in range(10):  # warm caches and the connection
        client.get(url)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return samples


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    _setup.database("klantbeeld_bench_page")

    from django.contrib.auth.models import User
    from django.test import Client

    from console.customers.models import Customer

    if not Customer.objects.filter(customer_number="B-BIG").exists():
        _setup.seed_bulk(customers=100_000, entries_per_customer=10, big_customer_entries=100_000)
    small = Customer.objects.filter(customer_number__startswith="B-", last_seq=10).order_by("pk").first()
    big = Customer.objects.get(customer_number="B-BIG")
    total = Customer.objects.count()
    user = User.objects.get(username="phone")
    client = Client()
    client.force_login(user)

    print(f"customer picture, server time over {args.requests} requests, {total:,} customers in the database")
    results = {}
    for label, customer in (("10 entries", small), (f"{big.last_seq:,} entries", big)):
        stats = _setup.percentiles(measure(client, customer.get_absolute_url(), args.requests))
        results[label] = stats
        print(f"  {label:>16}: {_setup.fmt(stats)}")
    small_p95, big_p95 = (s["p95"] for s in results.values())
    ratio = big_p95 / small_p95
    worst = max(small_p95, big_p95)
    print(f"  p95 ratio big/small: {ratio:.2f} (target <= {TARGET_RATIO})")
    print(
        f"  target p95 <= {TARGET_P95_MS:.0f} ms: {'met' if worst <= TARGET_P95_MS else 'NOT met'}; "
        f"ratio: {'met' if ratio <= TARGET_RATIO else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
