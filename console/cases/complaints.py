"""Complaints: a deadline by channel, escalation to the managers when it passes, and a close
that needs the answer the customer received, which the agent may send from here through the
messaging module (story S5: a written complaint must not die).

The deadline itself is set when the complaint is opened (``services.case_open``).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, require
from console.cases import fragments
from console.cases.models import Case
from console.cases.services import case_event_record, case_locked, when_text
from console.customers.models import Customer
from console.messaging.selectors import recipient_for
from console.messaging.services import message_to_customer
from console.reactions import CASE_CHANGED, happened
from console.timeline.models import Channel, TimelineEntry

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
# The message template an answer sent from the close form goes out with (migration 0005).
ANSWER_TEMPLATE = "complaint_answer"
# Channels the messaging module sends on; a social network only back where the complaint came in.
_SENDABLE = (Channel.EMAIL, Channel.SMS, Channel.POST)
_SOCIAL = (Channel.TWITTER, Channel.FACEBOOK, Channel.INSTAGRAM, Channel.WHATSAPP)


def answer_send_channels(case: Case) -> list[str]:
    """Where the answer can be sent from the close form, the channel the complaint came in on
    first (where messaging can send on it): e-mail, SMS, post, or that social network."""
    first = [case.channel] if case.channel in _SENDABLE + _SOCIAL else []
    return list(dict.fromkeys(first + [Channel.EMAIL, Channel.SMS]))


def complaint_close(*, case_id: int, user, resolution: str, channel: str, send: bool = False) -> Case:
    """Close a complaint with the answer the customer received.

    ``send``: the answer goes to the customer now, through the messaging module, on
    ``channel`` (``answer_send_channels``); its delivery shows on the case. Otherwise it was
    given another way and is recorded as sent on ``channel``. Refused without the answer:
    "closed" must mean the customer heard what was decided.
    """
    require(user, Capability.RECORD_INTERACTIONS)
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError("Write the answer the customer received before closing the complaint.")
    if channel not in ANSWER_CHANNELS:
        raise ValidationError("Choose the channel the answer went out on.")
    with transaction.atomic():
        case = case_locked(case_id)
        if case.kind != Case.Kind.COMPLAINT:
            raise ValidationError("Only a complaint is closed this way.")
        if not case.is_open:
            raise ValidationError("This complaint is already closed.")
        label = Channel(channel).label
        if send:
            _answer_send(case, user=user, resolution=resolution, channel=channel)
            closed = f"Complaint {case.reference} closed: the answer was sent to the customer by {label}"
        else:
            case_event_record(
                case=case,
                summary=f"Answer to complaint {case.reference} sent by {label}",
                audit=AuditEvent.Action.RECORDED_INTERACTION,
                body=resolution[:10_000],
                user=user,
                channel=channel,
                kind=TimelineEntry.Kind.INTERACTION,
                direction=TimelineEntry.Direction.OUTBOUND,
            )
            closed = f"Complaint {case.reference} closed: the customer was answered by {label}"
        case.status = Case.Status.CLOSED
        case.closed_at = timezone.now()
        case.resolution = resolution[:10_000]
        case.save(update_fields=["status", "closed_at", "resolution", "updated_at"])
        case_event_record(case=case, summary=closed, audit=AuditEvent.Action.CLOSED_CASE, user=user, channel=channel)
        happened(CASE_CHANGED, teams=(case.team,))
    return case


def _answer_send(case: Case, *, user, resolution: str, channel: str) -> None:
    """The answer to the customer through messaging (it writes the message's own timeline
    entry, on the case). Refused when there is no address for the channel: a complaint is not
    closed on an answer that cannot leave."""

    require(user, Capability.SEND_MESSAGES)
    if channel not in answer_send_channels(case):
        raise ValidationError(f"The answer cannot be sent by {Channel(channel).label} from here.")
    customer = Customer.objects.get(pk=case.customer_id)
    recipient, missing = recipient_for(customer=customer, channel=channel)
    if recipient is None:
        raise ValidationError(f"The answer cannot be sent by {Channel(channel).label}: {missing}. Choose another way.")
    message_to_customer(
        customer_id=case.customer_id,
        template_key=ANSWER_TEMPLATE,
        channel=channel,
        context={"answer": resolution},
        case=case,
        actor_user=user,
    )


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
    case_event_record(
        case=case,
        summary=f"Complaint {case.reference} is overdue and was escalated to the managers",
        audit=AuditEvent.Action.UPDATED_CASE,  # only for an agent's change: none is written here
        body=f"The answer was due {when_text(case.due_at)}. The complaint stays open with its owner.",
        actor_source="complaint deadline",
    )
    fragments.complaint_escalated(case_id=case.pk)
    happened(CASE_CHANGED, teams=(case.team,))
    return True
