"""Retention of raw event payloads: after ``RAW_PAYLOAD_RETENTION_DAYS`` the body a source system
sent is purged, from the idempotency record and from its timeline entry.

What stays: the event's key, type and body hash (a retry of an old event is still answered, not
applied twice), its answer (ids and numbers only), and of a timeline entry's copy only what the
console reads from it later (the channel and thread of a message, a message's status). Run as a
beat job every night and as ``manage.py purge_payloads``; running it again removes nothing more.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.services import audit_event_record
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
    events = InboundEvent.objects.filter(received_at__lt=cutoff).exclude(body={})
    while batch := list(events.values_list("pk", flat=True)[:BATCH]):
        result.events += InboundEvent.objects.filter(pk__in=batch).update(body={})
        if progress:
            progress(result)
    # Entries written from an event carry its payload (``id``, ``type``, ``customer``, ``data``).
    entries = TimelineEntry.objects.filter(recorded_at__lt=cutoff, raw__has_key="customer")
    while batch := list(entries.values_list("pk", "raw")[:BATCH]):
        with transaction.atomic():
            for pk, raw in batch:
                TimelineEntry.objects.filter(pk=pk).update(raw=_kept(raw))
        result.entries += len(batch)
        if progress:
            progress(result)
    if result.events or result.entries:
        audit_event_record(actor=None, action=AuditEvent.Action.PURGED_PAYLOADS, detail=str(result))
    return result
