"""Reads of the audit trail for managers: filtered, newest first, a page at a time by keyset, so a
page costs the same at the top of a million rows as deep down (indexes: accounts/models.py)."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from console.accounts.models import AuditEvent
from console.customers.models import Customer

PAGE_SIZE = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR = re.compile(r"^([0-9]{1,18})_([0-9]{1,18})$")


@dataclass(frozen=True)
class AuditFilter:
    actor: AbstractBaseUser | None = None
    customer: Customer | None = None
    action: str = ""
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive


@dataclass(frozen=True)
class Before:
    """Where a page ended: the rows after it are older (time, then id, both descending)."""

    created_at: datetime
    pk: int

    @classmethod
    def read(cls, text: str) -> "Before | None":
        """The position a page link names, or None for anything a page did not write."""
        match = CURSOR.match(text)
        if match is None:
            return None
        micros, pk = (int(group) for group in match.groups())
        try:
            return cls(created_at=EPOCH + timedelta(microseconds=micros), pk=pk)
        except OverflowError:
            return None

    @classmethod
    def after(cls, event: AuditEvent) -> str:
        return f"{(event.created_at - EPOCH) // timedelta(microseconds=1)}_{event.pk}"


@dataclass
class AuditPage:
    events: list[AuditEvent]
    next_before: str | None  # the link to the older rows; None on the last page


def audit_customer_find(text: str) -> Customer | None:
    """The customer a manager typed: a customer number (any case) or the record's id."""
    text = text.strip()
    customer = Customer.objects.filter(customer_number=text.upper()).first()
    if customer is None and text.isascii() and text.isdigit() and len(text) < 19:
        customer = Customer.objects.filter(pk=int(text)).first()
    return customer


def audit_events(selected: AuditFilter) -> QuerySet[AuditEvent]:
    """The rows the filters select, newest first. A customer's rows include those of records
    merged into it (a merge leaves each audit row on the record it was written for)."""
    events = AuditEvent.objects.order_by("-created_at", "-id")
    if selected.actor is not None:
        events = events.filter(actor=selected.actor)
    if selected.customer is not None:
        merged = Customer.objects.filter(merged_into=selected.customer).values_list("pk", flat=True)
        events = events.filter(customer_id__in=[selected.customer.pk, *merged])
    if selected.action:
        events = events.filter(action=selected.action)
    if selected.start is not None:
        events = events.filter(created_at__gte=selected.start)
    if selected.end is not None:
        events = events.filter(created_at__lt=selected.end)
    return events


def audit_page(selected: AuditFilter, *, before: Before | None = None, size: int = PAGE_SIZE) -> AuditPage:
    """One page of the filtered rows with who and which customer, in one query."""
    events = audit_events(selected).select_related("actor", "customer")
    if before is not None:
        # The first condition is what an index range can use; the second breaks ties by id.
        events = events.filter(created_at__lte=before.created_at).filter(
            Q(created_at__lt=before.created_at) | Q(pk__lt=before.pk)
        )
    rows = list(events[: size + 1])
    page = rows[:size]
    return AuditPage(events=page, next_before=Before.after(page[-1]) if len(rows) > size else None)
