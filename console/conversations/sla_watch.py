"""The SLA beat job: the owner is warned when most of the time to answer has passed, the
managers are told when the answer is overdue (each once per wait), and when the conversation is
not done by its resolution due time (once per open period) (docs/inbox.md, "SLA and business
hours").

The moments are worked out in business time when the customer starts waiting (``warn_at``,
``due_at``, ``resolution_due_at``: console/conversations/sla_clock.py), so the job only compares
them with the clock. Each notice is taken by a conditional UPDATE of ``warned_at`` /
``breached_at`` on the same wait (``waiting_since``), or of ``resolution_breached_at`` on the
same open period (``resolution_started_at``), in its own transaction: two workers running the job
at once, or one run twice, notify exactly once. A conversation whose customer writes again while
it waits keeps its wait; one answered and written to again starts a new wait that may warn and
breach once more; one reopened after done starts a new open period.
"""

from datetime import datetime
from typing import NamedTuple

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from console.accounts.selectors import display_name
from console.conversations import fragments
from console.conversations.models import Conversation
from console.conversations.notes import note
from console.customers.models import Customer
from console.timeline.models import TimelineEntry

SLA_SOURCE = "SLA clock"


class Told(NamedTuple):
    warned: int
    breached: int
    not_done: int


def _to_warn(now: datetime) -> QuerySet:
    return Conversation.objects.filter(
        status=Conversation.Status.AWAITING_REPLY, warned_at__isnull=True, warn_at__lte=now
    )


def _to_breach(now: datetime) -> QuerySet:
    return Conversation.objects.filter(
        status=Conversation.Status.AWAITING_REPLY, breached_at__isnull=True, due_at__lte=now
    )


def _not_done_in_time(now: datetime) -> QuerySet:
    """Open past the resolution due time with the resolution clock running: awaiting a reply, or
    waiting on the customer since after it was due (the clock ran out before it paused)."""
    running = Q(status=Conversation.Status.AWAITING_REPLY) | Q(
        status=Conversation.Status.WAITING_ON_CUSTOMER, resolution_due_at__lte=F("resolution_paused_since")
    )
    return Conversation.objects.filter(running, resolution_breached_at__isnull=True, resolution_due_at__lte=now)


# What the job tells: which conversations are due for it, the field that marks them told, and
# the field that names their wait or open period (a new one may be told again).
NOTICES = (
    (_to_warn, "warned_at", "waiting_since"),
    (_to_breach, "breached_at", "waiting_since"),
    (_not_done_in_time, "resolution_breached_at", "resolution_started_at"),
)


def conversations_sla_watch(*, now: datetime | None = None) -> Told:
    """Warn the owners and tell the managers of every conversation whose moment has come and
    who were not told yet; how many were."""
    now = now or timezone.now()
    found = [(due, mark, since, list(due(now).values_list("pk", "customer_id", since))) for due, mark, since in NOTICES]
    counts = []
    for due, mark, since, rows in found:
        told = (_told(due(now).filter(**{since: at}), pk, customer, now=now, kind=mark) for pk, customer, at in rows)
        counts.append(sum(told))
    return Told(*counts)


@transaction.atomic
def _told(still: QuerySet, conversation_id: int, customer_id: int, *, now: datetime, kind: str) -> bool:
    """Mark ``kind`` (``warned_at``, ``breached_at``, ``resolution_breached_at``) if the
    conversation is ``still`` due for it, and tell; whether this call was the one that did."""
    # The customer row first, the lock order every writer of the timeline keeps.
    Customer.objects.select_for_update().only("pk").get(pk=customer_id)
    if not still.filter(pk=conversation_id).update(**{kind: now}, updated_at=now):
        return False
    conversation = Conversation.objects.select_related("assignee").get(pk=conversation_id)
    _note(conversation, kind=kind)
    if kind == "warned_at":
        fragments.sla_warned(conversation)
    elif kind == "breached_at":
        fragments.sla_breached(conversation)
    else:
        fragments.sla_not_done_in_time(conversation)
    return True


def _note(conversation: Conversation, *, kind: str) -> TimelineEntry:
    channel = conversation.get_channel_display()
    due = timezone.localtime(conversation.due_at).strftime("%d-%m-%Y %H:%M") if conversation.due_at else ""
    if kind == "resolution_breached_at":
        done_by = timezone.localtime(conversation.resolution_due_at).strftime("%d-%m-%Y %H:%M")
        summary = f"SLA breached: the {channel} conversation was to be done by {done_by}; the managers were told"
    elif kind == "breached_at":
        summary = f"SLA breached: the answer on {channel} was due {due}; the managers were told"
    else:
        owner = conversation.assignee
        whom = display_name(owner) if owner else f"the {conversation.get_team_display()} team"
        summary = f"SLA warning to {whom}: the answer on {channel} is due {due}"
    return note(conversation, summary, actor_source=SLA_SOURCE)
