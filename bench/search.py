"""Search at a million customers: p95 by phone, e-mail, customer number and partial name.

Usage: python bench/search.py [--customers 1000000] [--queries 200]
Needs PostgreSQL (BENCH_DATABASE_URL). The first run seeds the customers with bulk inserts
(several minutes for a million); later runs reuse the database.
"""

import argparse
import random
import time

import _setup

TARGET_P95_MS = 30.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    _setup.database("klantbeeld_bench_search")

    from console.customers.models import Customer, Identifier
    from console.customers.selectors import hidden_customers
    from console.picture.search import customer_search

    have = Customer.objects.count()
    if have < args.customers:
        _setup.seed_bulk(customers=args.customers - have, entries_per_customer=0)
    total = Customer.objects.count()
    rng = random.Random(7)
    ids = list(Customer.objects.values_list("id", flat=True).order_by("?")[: args.queries])
    sample = Customer.objects.filter(pk__in=ids)
    phones = dict(Identifier.objects.filter(customer__in=sample, kind="phone").values_list("customer_id", "value"))
    emails = dict(Identifier.objects.filter(customer__in=sample, kind="email").values_list("customer_id", "value"))

    def national(e164):  # typed the way a Dutch caller reads it out: 06 12 34 56 78
        digits = "0" + e164[3:]
        return " ".join([digits[:2], digits[2:4], digits[4:6], digits[6:8], digits[8:]])

    queries = {
        "phone": [national(phones[c.pk]) for c in sample if c.pk in phones],
        "e-mail": [emails[c.pk].upper() for c in sample if c.pk in emails],
        "customer number": [c.customer_number.lower() for c in sample],
        "partial name": [c.name.split()[-1][: rng.randint(4, 6)] for c in sample],
    }
    print(f"search over {total:,} customers, {args.queries} queries per kind")
    for kind, texts in queries.items():
        samples, found = [], 0
        for text in texts:
            started = time.perf_counter()
            # As an agent of no restricted customer's group searches: restricted ones left out.
            results = customer_search(query=text, hidden=hidden_customers())
            samples.append((time.perf_counter() - started) * 1000)
            found += bool(results)
        stats = _setup.percentiles(samples)
        verdict = "met" if stats["p95"] <= TARGET_P95_MS else "NOT met"
        print(f"  {kind:>16}: {_setup.fmt(stats)}  found {found}/{len(texts)}  target p95 <= 30 ms: {verdict}")


if __name__ == "__main__":
    main()
