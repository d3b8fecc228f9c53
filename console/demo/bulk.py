"""Benchmark-size data: up to millions of timeline entries, written with bulk_create.

BYPASS, ON PURPOSE AND ONLY HERE: everywhere else timeline entries are written by
``timeline.services.timeline_entry_record``, which takes the customer row lock and hands
out ``seq`` one at a time. That costs several queries per entry, far too slow for a million.
This path owns the customers it creates (nobody else can write to them while it runs), so
it can hand out seq 1..K itself and set ``last_seq`` to K in the same transaction, which
leaves exactly the state the service would have left. No flags, orders or cases: the
benchmarks measure search and timeline paging, and flags would need a per-customer pass.
"""

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta

import phonenumbers
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from console.customers.models import Customer, Identifier
from console.demo.catalogue import FIRST_NAMES, LAST_NAMES, PRODUCTS
from console.timeline.models import TimelineEntry

BATCH = 5000
# Customer N gets +31610000000 + N: the whole 061 block is NL mobile (+316 and 8 digits), so
# every N up to 9,999,998 gives a distinct valid number. 9,999,999 is kept for B-BIG.
PHONE_BASE = 31_610_000_000
MAX_N = 9_999_998
BIG_NUMBER, BIG_PHONE = "B-BIG", "+31619999999"

# (kind, channel, direction, actor_source, summary) — what a year of traffic looks like.
_EVENTS = [
    ("web_visit", "web", "inbound", "webshop", "Viewed the {p} product page"),
    ("web_visit", "web", "inbound", "webshop", "Added {p} to the basket"),
    ("interaction", "email", "inbound", "mailbox", "Asked when the {p} will be delivered"),
    ("interaction", "chat", "inbound", "chat", "Chat about the {p}"),
    ("interaction", "chatbot", "inbound", "chatbot", "Asked the chatbot whether the {p} is in stock"),
    ("interaction", "whatsapp", "inbound", "whatsapp", "Asked how to return the {p}"),
    ("interaction", "twitter", "inbound", "social-listening", "Public post about the {p}"),
    ("call", "phone", "inbound", "telephony", "Call about the {p}"),
    ("store_visit", "store", "inbound", "store-till", "Looked at the {p} in the store"),
    ("order", "web", "inbound", "webshop", "Order placed: {p}"),
    ("invoice", "email", "outbound", "finance", "Invoice sent for the {p}"),
    ("payment", "system", "inbound", "finance", "Payment received for the {p}"),
    ("note", "system", "internal", "crm", "Note: customer prefers e-mail about the {p}"),
]
_PRODUCT_NAMES = [desc for _, desc, _ in PRODUCTS]


@dataclass
class BulkResult:
    customers: int
    entries: int
    seconds: float


def bulk_seed(
    *, customers: int, entries_per_customer: int, big_customer_entries: int = 0, write=print, seed: int = 2026
) -> BulkResult:
    rng = random.Random(seed)
    started, now = time.monotonic(), timezone.now()
    first = _next_bulk_number()
    if first + customers - 1 > MAX_N:
        raise CommandError(f"Bulk customer numbers would run past {MAX_N:,}; use --reset first.")
    # The 061 block is uniformly mobile, so checking both ends of the range covers it.
    _check_phone(first)
    _check_phone(first + customers - 1)
    done = 0
    while done < customers:
        size = min(BATCH, customers - done)
        # One transaction per batch: a crash loses at most one batch, and no customer is ever
        # visible with a last_seq that its entries do not match.
        with transaction.atomic():
            made = _customer_batch(first + done, size, entries_per_customer, rng)
            _entries_insert(made, entries_per_customer, rng, now)
        done += size
        write(
            f"customers {done:,}/{customers:,}, entries {done * entries_per_customer:,}/"
            f"{customers * entries_per_customer:,} ({time.monotonic() - started:.1f} s)"
        )
    total = customers * entries_per_customer
    if big_customer_entries:
        total += _big_customer(big_customer_entries, rng, now, write, started)
    _statistics_refresh()
    return BulkResult(customers + bool(big_customer_entries), total, time.monotonic() - started)


def _statistics_refresh() -> None:
    """PostgreSQL plans with the statistics it has, and right after a bulk load those are of the
    tables as they were before, until autovacuum gets round to them: a search by part of a
    name took 40 ms at p95 instead of 10 on a freshly seeded million (docs/performance.md)."""
    if connection.vendor == "postgresql":
        tables = (Customer._meta.db_table, Identifier._meta.db_table, TimelineEntry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")


def _next_bulk_number() -> int:
    """Continue after the highest B- number, so a second run adds instead of colliding."""
    last = (
        Customer.objects.filter(customer_number__regex=r"^B-[0-9]+$")
        .order_by("-customer_number")
        .values_list("customer_number", flat=True)
        .first()
    )
    return int(last[2:]) + 1 if last else 1


def _check_phone(n: int) -> None:
    number = phonenumbers.parse(f"+{PHONE_BASE + n}", None)
    if not phonenumbers.is_valid_number(number):
        raise CommandError(f"+{PHONE_BASE + n} is not a valid phone number; bulk numbering is broken.")


def _customer_batch(first: int, size: int, entries: int, rng: random.Random) -> list[Customer]:
    today = timezone.localdate()
    customers = Customer.objects.bulk_create(
        [
            Customer(
                customer_number=f"B-{n:09d}",
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                language="en" if rng.random() < 0.1 else "nl",
                last_seq=entries,
                customer_since=today - timedelta(days=rng.randint(0, 12 * 365)),
            )
            for n in range(first, first + size)
        ],
        batch_size=BATCH,
    )
    Identifier.objects.bulk_create(
        [
            ident
            for c, n in zip(customers, range(first, first + size), strict=True)
            for ident in _identifiers(c, email=f"b{n}@example.nl", phone=f"+{PHONE_BASE + n}")
        ],
        batch_size=BATCH,
    )
    return customers


def _identifiers(customer: Customer, *, email: str, phone: str) -> list[Identifier]:
    # Stored already normalised (lower-case e-mail, E.164 phone), as identifier_add would.
    return [
        Identifier(customer=customer, kind=Identifier.Kind.EMAIL, value=email),
        Identifier(customer=customer, kind=Identifier.Kind.PHONE, value=phone),
    ]


def _entry_rows(customer_id: int, seqs: range, times: list, rng: random.Random):
    for seq, at in zip(seqs, times, strict=True):
        kind, channel, direction, source, summary = rng.choice(_EVENTS)
        yield TimelineEntry(
            customer_id=customer_id,
            seq=seq,
            kind=kind,
            channel=channel,
            direction=direction,
            occurred_at=at,
            actor_source=source,
            summary=summary.format(p=rng.choice(_PRODUCT_NAMES)),
        )


def _spread(count: int, rng: random.Random, now, days: int = 365) -> list:
    """``count`` moments over the past ``days``, oldest first, so seq order is time order."""
    span = timedelta(days=days) - timedelta(hours=1)
    return [now - span + span * f for f in sorted(rng.random() for _ in range(count))]


def _entries_insert(customers: list[Customer], k: int, rng: random.Random, now) -> None:
    rows = []
    for customer in customers:
        rows.extend(_entry_rows(customer.pk, range(1, k + 1), _spread(k, rng, now), rng))
    TimelineEntry.objects.bulk_create(rows, batch_size=BATCH)


def _big_customer(count: int, rng: random.Random, now, write, started) -> int:
    """One customer with ``count`` entries (the benchmark for a very long timeline)."""
    if Customer.objects.filter(customer_number=BIG_NUMBER).exists():
        write(f"{BIG_NUMBER} already exists; not adding another {count:,} entries.")
        return 0
    big = Customer.objects.create(
        customer_number=BIG_NUMBER, name="Bart Groot (benchmark)", customer_since=date(2010, 1, 4)
    )
    Identifier.objects.bulk_create(_identifiers(big, email="big@example.nl", phone=BIG_PHONE))
    times = _spread(count, rng, now, days=3 * 365)
    for start in range(0, count, BATCH):
        seqs = range(start + 1, min(start + BATCH, count) + 1)
        with transaction.atomic():
            TimelineEntry.objects.bulk_create(_entry_rows(big.pk, seqs, times[start : seqs.stop - 1], rng))
            # last_seq moves with every batch, so the customer is consistent between batches too.
            Customer.objects.filter(pk=big.pk).update(last_seq=seqs.stop - 1)
        write(f"{BIG_NUMBER} entries {seqs.stop - 1:,}/{count:,} ({time.monotonic() - started:.1f} s)")
    return count


@transaction.atomic
def all_customers_delete() -> int:
    """Delete every customer (and with them everything about them).

    Timeline entries go first in one statement: nothing refers to them, so Django deletes
    them without loading them, where a cascade from Customer would collect a million rows.
    """
    _audit_trail_empty()
    TimelineEntry.objects.all().delete()
    return Customer.objects.all().delete()[1].get("customers.Customer", 0)


def _audit_trail_empty() -> None:
    """Starting the demo over empties its audit trail as a whole, since the trail names the
    customers and users being deleted and refuses to lose a row of them (docs/privacy.md).

    TRUNCATE is the one statement the append-only trigger lets through on PostgreSQL (SQLite has
    no trigger): a whole demo database starting over, never one row changed from the console.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE accounts_auditevent")
        else:
            cursor.execute("DELETE FROM accounts_auditevent")
