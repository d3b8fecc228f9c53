"""Retention: raw event payloads after ``RAW_PAYLOAD_RETENTION_DAYS``, and the invoices kept of
erased customers once the fiscal retention period (``FISCAL_RETENTION_YEARS``) is over.

The body a source system sent is purged from the idempotency record and from its timeline entry.

What stays: the event's key, type and body hash (a retry of an old event is still answered, not
applied twice), its answer (ids and numbers only), and of a timeline entry's copy only what the
console reads from it later (the channel and thread of a message, a message's status). Run as a
beat job every night and as ``manage.py purge_payloads``; running it again removes nothing more.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.services import audit_event_record
from console.commerce.models import Invoice, Order, Return
from console.ingest.models import InboundEvent
from console.timeline.models import TimelineEntry

BATCH = 1000
# What the console reads from an entry's raw payload after it was written (conversations: the
# channel and thread; messages: the status). Everything else of an event's payload goes.
KEPT_DATA = ("channel", "thread")
KEPT_TOP = ("status",)


@dataclass
class Purged:
    events: int = 0
    entries: int = 0
    cutoff: object = None

    def __str__(self):
        return (
            f"{self.events} event payloads and {self.entries} timeline copies older than {self.cutoff:%Y-%m-%d %H:%M}"
        )


def _kept(raw: dict) -> dict:
    data = raw.get("data") if isinstance(raw.get("data"), dict) else {}
    kept = {key: raw[key] for key in KEPT_TOP if key in raw}
    kept_data = {key: data[key] for key in KEPT_DATA if key in data}
    return {**kept, **({"data": kept_data} if kept_data else {}), "purged": True}


def raw_payloads_purge(*, days: int | None = None, progress=None) -> Purged:
    """Purge payloads received more than ``days`` ago (the setting by default), in batches."""
    cutoff = timezone.now() - timedelta(days=days if days is not None else settings.RAW_PAYLOAD_RETENTION_DAYS)
    result = Purged(cutoff=cutoff)
    # Walked by primary key, a batch at a time: each query starts where the last one ended, so a
    # first run over years of events reads the table once, not once per batch.
    last = 0
    events = InboundEvent.objects.filter(received_at__lt=cutoff).exclude(body={}).order_by("pk")
    while batch := list(events.filter(pk__gt=last).values_list("pk", flat=True)[:BATCH]):
        result.events += InboundEvent.objects.filter(pk__in=batch).update(body={})
        last = batch[-1]
        if progress:
            progress(result)
    # Entries written from an event carry its payload (``id``, ``type``, ``customer``, ``data``).
    last = 0
    entries = TimelineEntry.objects.filter(recorded_at__lt=cutoff, raw__has_key="customer").order_by("pk")
    while batch := list(entries.filter(pk__gt=last).only("pk", "raw")[:BATCH]):
        for entry in batch:
            entry.raw = _kept(entry.raw)
        TimelineEntry.objects.bulk_update(batch, ["raw"])
        result.entries += len(batch)
        last = batch[-1].pk
        if progress:
            progress(result)
    if result.events or result.entries:
        audit_event_record(actor=None, action=AuditEvent.Action.PURGED_PAYLOADS, detail=str(result))
    return result


def fiscal_records_purge(*, today=None) -> dict:
    """Of erased customers, delete what was kept only for the fiscal retention period once it is
    over: invoices (with their payments) from a year that ended ``FISCAL_RETENTION_YEARS`` ago,
    then orders and returns no kept invoice still bills. Idempotent; the counts by kind."""
    today = today or timezone.localdate()
    # Seven years from the end of the year the invoice is in: one of 2019 goes in 2027.
    last_year_gone = today.year - settings.FISCAL_RETENTION_YEARS - 1
    erased = {"customer__erased_at__isnull": False}
    invoices = Invoice.objects.filter(**erased, issued_on__year__lte=last_year_gone)
    counts = {"invoices": invoices.count()}
    invoices.delete()
    billed = Invoice.objects.filter(**erased, order__isnull=False).values("order_id")
    old_orders = Order.objects.filter(**erased, placed_at__year__lte=last_year_gone).exclude(pk__in=billed)
    returns = Return.objects.filter(order__in=old_orders)
    counts["returns"], counts["orders"] = returns.count(), old_orders.count()
    returns.delete()
    old_orders.delete()
    if any(counts.values()):
        detail = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        audit_event_record(
            actor=None, action=AuditEvent.Action.PURGED_PAYLOADS, detail=f"fiscal retention over: {detail}"
        )
    return counts
