"""Shared set-up for the benchmarks: a PostgreSQL database of benchmark size, Django ready.

Each benchmark names its own database (so the 1M-customer search data and the 100k-customer
page data do not get in each other's way), creates it when missing, migrates it and seeds it
with ``seed_demo``'s bulk mode once. Set ``BENCH_DATABASE_URL`` to use another server.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def database(name: str) -> None:
    """Point Django at the benchmark database ``name``, creating it when missing."""
    import psycopg

    server = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # DEBUG is off, as in production: static URLs come from the collected manifest.
    call_command("collectstatic", interactive=False, verbosity=0)


def seed_bulk(**options) -> None:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("seed_demo", **options)
    print(f"seeded in {time.perf_counter() - started:.0f} s")


def percentiles(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50": statistics.median(ordered), "p95": q[94], "max": ordered[-1]}


def fmt(stats: dict) -> str:
    return "  ".join(f"{k} {v:6.2f} ms" for k, v in stats.items())
