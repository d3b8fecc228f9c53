"""The SLA beat job: the owner is warned when most of the time to answer has passed, the
managers are told when the answer is overdue; each once per wait (docs/inbox.md, "SLA and
business hours").

Both moments are worked out in business time when the customer starts waiting (``warn_at``,
``due_at``: console/conversations/sla.py), so the job only compares them with the clock. Each
notice is taken by a conditional UPDATE of ``warned_at`` / ``breached_at`` on the same wait
(``waiting_since``), in its own transaction: two workers running the job at once, or one run
twice, notify exactly once. A conversation whose customer writes again while it waits keeps its
wait; one answered and written to again starts a new wait that may warn and breach once more.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from console.accounts.selectors import display_name
from console.conversations import fragments
from console.conversations.models import Conversation
from console.conversations.notes import note
from console.customers.models import Customer
from console.timeline.models import TimelineEntry

SLA_SOURCE = "SLA clock"


def conversations_sla_watch(*, now: datetime | None = None) -> tuple[int, int]:
    """Warn the owners and tell the managers of every conversation whose moment has come and
    who were not told yet; how many were (warned, breached)."""
    now = now or timezone.now()
    awaiting = Conversation.objects.filter(status=Conversation.Status.AWAITING_REPLY)
    fields = ("pk", "customer_id", "waiting_since")
    to_warn = list(awaiting.filter(warned_at__isnull=True, warn_at__lte=now).values_list(*fields))
    to_breach = list(awaiting.filter(breached_at__isnull=True, due_at__lte=now).values_list(*fields))
    warned = sum(_told(pk, customer_id, since, now=now, breach=False) for pk, customer_id, since in to_warn)
    breached = sum(_told(pk, customer_id, since, now=now, breach=True) for pk, customer_id, since in to_breach)
    return warned, breached


@transaction.atomic
def _told(conversation_id: int, customer_id: int, waiting_since: datetime, *, now: datetime, breach: bool) -> bool:
    # The customer row first, the lock order every writer of the timeline keeps.
    Customer.objects.select_for_update().only("pk").get(pk=customer_id)
    still = Conversation.objects.filter(
        pk=conversation_id, status=Conversation.Status.AWAITING_REPLY, waiting_since=waiting_since
    )
    if breach:
        taken = still.filter(breached_at__isnull=True, due_at__lte=now).update(breached_at=now, updated_at=now)
    else:
        taken = still.filter(warned_at__isnull=True, warn_at__lte=now).update(warned_at=now, updated_at=now)
    if not taken:
        return False
    conversation = Conversation.objects.select_related("assignee").get(pk=conversation_id)
    _note(conversation, breach=breach)
    if breach:
        fragments.sla_breached(conversation)
    else:
        fragments.sla_warned(conversation)
    return True


def _note(conversation: Conversation, *, breach: bool) -> TimelineEntry:
    channel = conversation.get_channel_display()
    due = timezone.localtime(conversation.due_at).strftime("%d-%m-%Y %H:%M")
    if breach:
        summary = f"SLA breached: the answer on {channel} was due {due}; the managers were told"
    else:
        owner = conversation.assignee
        whom = display_name(owner) if owner else f"the {conversation.get_team_display()} team"
        summary = f"SLA warning to {whom}: the answer on {channel} is due {due}"
    return note(conversation, summary, actor_source=SLA_SOURCE)
