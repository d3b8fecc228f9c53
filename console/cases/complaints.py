"""Complaints: a deadline by channel, escalation to the managers when it passes, and a close
that needs the answer the customer received (story S5: a written complaint must not die).

The deadline itself is set when the complaint is opened (``services.case_open``).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from console.accounts.roles import Capability, require
from console.cases.models import Case
from console.cases.services import when_text
from console.live import publish
from console.timeline.models import Channel, TimelineEntry
from console.timeline.services import timeline_entry_record

# Channels an answer can have gone out on (not "system", not the website or the chatbot).
ANSWER_CHANNELS = [
    Channel.EMAIL,
    Channel.POST,
    Channel.PHONE,
    Channel.SMS,
    Channel.STORE,
    Channel.CHAT,
    Channel.WHATSAPP,
    Channel.TWITTER,
    Channel.FACEBOOK,
    Channel.INSTAGRAM,
]


def complaint_close(*, case_id: int, user, resolution: str, channel: str) -> Case:
    """Close a complaint with the answer the customer received, recorded as sent on ``channel``.

    Refused without the answer: "closed" must mean the customer heard what was decided.
    """
    require(user, Capability.RECORD_INTERACTIONS)
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError("Write the answer the customer received before closing the complaint.")
    if channel not in ANSWER_CHANNELS:
        raise ValidationError("Choose the channel the answer went out on.")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.kind != Case.Kind.COMPLAINT:
            raise ValidationError("Only a complaint is closed this way.")
        if not case.is_open:
            raise ValidationError("This complaint is already closed.")
        label = Channel(channel).label
        timeline_entry_record(
            customer_id=case.customer_id,
            kind=TimelineEntry.Kind.INTERACTION,
            channel=channel,
            direction=TimelineEntry.Direction.OUTBOUND,
            summary=f"Answer to complaint {case.reference} sent by {label}",
            body=resolution[:10_000],
            actor_user=user,
            case=case,
        )
        case.status = Case.Status.CLOSED
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "closed_at", "updated_at"])
        timeline_entry_record(
            customer_id=case.customer_id,
            kind=TimelineEntry.Kind.CASE,
            channel=channel,
            direction=TimelineEntry.Direction.INTERNAL,
            summary=f"Complaint {case.reference} closed: the customer was answered by {label}",
            actor_user=user,
            case=case,
        )
        publish.queue_changed(case.team)
    return case


def complaints_escalate_overdue(*, now: datetime | None = None) -> int:
    """Put every open complaint past its deadline before the managers, once; how many were.

    Run by the beat job. Each complaint is escalated in its own transaction by a conditional
    update, so two runs at once (or one run twice) escalate it exactly once.
    """
    now = now or timezone.now()
    overdue = Case.objects.filter(
        kind=Case.Kind.COMPLAINT, status__in=Case.OPEN_STATUSES, due_at__lt=now, escalated_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(complaint_escalate(case_id=pk, now=now) for pk in list(overdue))


@transaction.atomic
def complaint_escalate(*, case_id: int, now: datetime) -> bool:
    """Escalate one overdue complaint; False when it was already escalated or is closed."""
    taken = Case.objects.filter(
        pk=case_id, kind=Case.Kind.COMPLAINT, status__in=Case.OPEN_STATUSES, escalated_at__isnull=True
    ).update(escalated_at=now)
    if not taken:
        return False
    case = Case.objects.select_related("customer").get(pk=case_id)
    timeline_entry_record(
        customer_id=case.customer_id,
        kind=TimelineEntry.Kind.CASE,
        channel=Channel.SYSTEM,
        direction=TimelineEntry.Direction.INTERNAL,
        summary=f"Complaint {case.reference} is overdue and was escalated to the managers",
        body=f"The answer was due {when_text(case.due_at)}. The complaint stays open with its owner.",
        actor_source="complaint deadline",
        case=case,
    )
    publish.complaint_escalated(case_id=case.pk)
    publish.queue_changed(case.team)
    return True
