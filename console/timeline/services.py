from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, require
from console.accounts.services import audit_event_record
from console.customers.models import Customer
from console.reactions import ENTRY_RECORDED, happened
from console.timeline.models import Channel, TimelineEntry


def timeline_entry_record(
    *,
    customer_id: int,
    kind: str,
    channel: str,
    summary: str,
    direction: str = TimelineEntry.Direction.INBOUND,
    body: str = "",
    occurred_at: datetime | None = None,
    actor_user=None,
    actor_source: str = "",
    raw: dict | None = None,
    order=None,
    invoice=None,
    return_request=None,
    case=None,
) -> TimelineEntry:
    """Write one timeline entry with the customer's next ``seq``.

    The seq comes from an UPDATE of the customer row, which holds that row's lock until
    the transaction ends. A second writer for the same customer waits for the first to
    commit (or roll back) before it takes its number, so seqs are handed out in commit
    order and a rolled-back writer leaves no gap. A reader that has seen seq N can never
    later find an N-1 it missed.

    This is the only place that creates timeline entries; callers wrap it in the same
    transaction as the record it describes (an order, a return, a note).
    """
    # No savepoint: if anything after this fails, the caller's whole transaction rolls back.
    with transaction.atomic(savepoint=False):
        seq = _next_seq(customer_id)
        entry = TimelineEntry.objects.create(
            customer_id=customer_id,
            seq=seq,
            kind=kind,
            channel=channel,
            direction=direction,
            summary=summary[:500],
            body=body,
            occurred_at=occurred_at or timezone.now(),
            actor_user=actor_user,
            actor_source=actor_source,
            raw=raw or {},
            order=order,
            invoice=invoice,
            return_request=return_request,
            case=case,
        )
        # Once (and only if) this commits: to every open console on this customer, and to the
        # managers' dashboards when it is of a kind they list (console/reactions.py).
        happened(ENTRY_RECORDED, entry=entry)
        return entry


def _next_seq(customer_id: int) -> int:
    """Raise the customer's last_seq and read it back in one statement, taking the row lock."""
    table = Customer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq, erased_at",  # noqa: S608
            [customer_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Customer.DoesNotExist(f"No customer {customer_id}.")
    if row[1] is not None:
        # Erased at their request (docs/privacy.md): nothing new is recorded about them.
        raise PermissionDenied("This customer's personal data was erased: nothing new can be recorded about them.")
    return row[0]


# What an agent may record by hand from the customer picture, and how it is filed.
AGENT_RECORD_KINDS = {
    "note": (TimelineEntry.Kind.NOTE, TimelineEntry.Direction.INTERNAL),
    "call": (TimelineEntry.Kind.CALL, TimelineEntry.Direction.INBOUND),
    "store_visit": (TimelineEntry.Kind.STORE_VISIT, TimelineEntry.Direction.INBOUND),
    "interaction": (TimelineEntry.Kind.INTERACTION, TimelineEntry.Direction.INBOUND),
}


def interaction_record(
    *, user, customer_id: int, record_kind: str, channel: str, summary: str, body: str = ""
) -> TimelineEntry:
    """An agent records a note, a call summary or a store visit on the timeline."""
    require(user, Capability.RECORD_INTERACTIONS)
    if channel not in Channel.values or channel == Channel.SYSTEM:
        raise ValidationError(f"'{channel}' is not a channel an agent records on.")
    kind, direction = AGENT_RECORD_KINDS[record_kind]
    if record_kind == "call":
        channel = Channel.PHONE
    elif record_kind == "store_visit":
        channel = Channel.STORE
    with transaction.atomic():
        entry = timeline_entry_record(
            customer_id=customer_id,
            kind=kind,
            channel=channel,
            direction=direction,
            summary=summary,
            body=body,
            actor_user=user,
        )
        audit_event_record(
            actor=user,
            action=AuditEvent.Action.RECORDED_INTERACTION,
            customer=entry.customer,
            detail=f"{entry.get_kind_display()} #{entry.seq}",
        )
    return entry
