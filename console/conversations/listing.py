"""Conversations in due order, a page at a time, for systems that read them (the API's
``GET /api/v1/conversations``: workforce-management systems planning who answers what).

The order is soonest due first and then by id, the conversations nothing is due for (waiting
on the customer, done) last. A page starts after the last one the reader has (keyset, not
offset): conversations that arrive while a reader pages through do not shift the pages, so
nothing is read twice or skipped because of them. A page is one query, whatever its size."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q, QuerySet

from console.conversations.models import Conversation
from console.conversations.selectors import BREACHING_SOON


@dataclass(frozen=True)
class After:
    """Where the last page ended: its last conversation's due time (None: nothing due) and id."""

    due_at: datetime | None
    pk: int


def breaching_q(now: datetime) -> Q:
    """Awaiting a reply and overdue, or due within ``BREACHING_SOON`` (as the inbox's "Breaching
    soon" list)."""
    return Q(status=Conversation.Status.AWAITING_REPLY, due_at__lte=now + BREACHING_SOON)


def is_breaching(conversation: Conversation, now: datetime) -> bool:
    return (
        conversation.status == Conversation.Status.AWAITING_REPLY
        and conversation.due_at is not None
        and conversation.due_at <= now + BREACHING_SOON
    )


def _after_q(after: After) -> Q:
    if after.due_at is None:
        return Q(due_at__isnull=True, pk__gt=after.pk)
    return Q(due_at__gt=after.due_at) | Q(due_at=after.due_at, pk__gt=after.pk) | Q(due_at__isnull=True)


def conversations_page(
    *,
    now: datetime,
    statuses: list[str] = (),
    teams: list[str] = (),
    channels: list[str] = (),
    breaching: bool | None = None,
    after: After | None = None,
    hidden: QuerySet | None,
    limit: int = 100,
) -> list[Conversation]:
    """Up to ``limit`` conversations after ``after`` that pass every filter given (an empty
    list: any), with their customer, assignee and case, in one query; none with a customer in
    ``hidden`` (those the reader may not see, ``hidden_customers``; None: none)."""
    rows = Conversation.objects.all() if hidden is None else Conversation.objects.exclude(customer_id__in=hidden)
    if statuses:
        rows = rows.filter(status__in=statuses)
    if teams:
        rows = rows.filter(team__in=teams)
    if channels:
        rows = rows.filter(channel__in=channels)
    if breaching is not None:
        rows = rows.filter(breaching_q(now)) if breaching else rows.exclude(breaching_q(now))
    if after is not None:
        rows = rows.filter(_after_q(after))
    return list(
        rows.select_related("customer", "assignee", "case").order_by(F("due_at").asc(nulls_last=True), "pk")[:limit]
    )
