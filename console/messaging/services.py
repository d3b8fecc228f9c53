"""Outbound messages from queued to sent: at most once, with "unknown" instead of a duplicate.

A message is written as *queued* in the transaction that decides to send it (see
``statements.py``) and sent by a Celery task per message, after commit. The task takes the
message with a conditional UPDATE (queued -> sending) before it calls the backend, and records
the outcome with another (sending -> sent / failed / unknown). A task that is delivered again
after its worker died finds the message in *sending*: it cannot know whether the backend got
it, so it marks it *unknown* ("delivery not confirmed") for an agent to decide, rather than
risk sending it twice. docs/messaging.md tells the whole story.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, require
from console.accounts.services import audit_event_record
from console.customers.models import Customer
from console.live import publish
from console.messaging import tasks
from console.messaging.backends import DeliveryRetryable, DeliveryUncertain, backend_for
from console.messaging.models import MessageTemplate, OutboundMessage
from console.messaging.rendering import language_of, message_render, period_label
from console.messaging.selectors import recipient_for
from console.timeline.models import TimelineEntry
from console.timeline.services import timeline_entry_record

log = logging.getLogger(__name__)
Status = OutboundMessage.Status


def message_send(*, message_id: int) -> str:
    """Send one queued message through its channel's backend; returns the status it ends in.

    Safe to run any number of times for the same message: only the run that moves it from
    queued to sending calls the backend.
    """
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(pk=message_id, status=Status.QUEUED).update(
        status=Status.SENDING, attempts=F("attempts") + 1, status_changed_at=now
    )
    if not claimed:
        # Sent, failed or unknown already: nothing to do. Still "sending": an earlier run took
        # it and was never heard of again (its worker died), so it may have gone out.
        _unconfirmed(message_id, because="The worker sending it stopped before it could confirm delivery.")
        return OutboundMessage.objects.filter(pk=message_id).values_list("status", flat=True).first() or ""
    message = OutboundMessage.objects.select_related("statement").get(pk=message_id)
    try:
        reference = backend_for(message.channel).send(message)
    except DeliveryUncertain as exc:
        return _outcome(message, Status.UNKNOWN, error=str(exc))
    except DeliveryRetryable as exc:
        if message.attempts < settings.MESSAGE_MAX_ATTEMPTS:
            # Certainly not sent (the gateway refused it for now): queued again, for the task
            # to try after a pause (messaging.tasks), and visible as such in the panel.
            return _outcome(message, Status.QUEUED, error=f"Attempt {message.attempts} failed: {exc}")
        return _outcome(message, Status.FAILED, error=f"{exc} (tried {message.attempts} times)")
    except Exception as exc:  # noqa: BLE001 - whatever the backend raised, this message did not go out
        log.warning("message %s failed: %s", message_id, exc)
        return _outcome(message, Status.FAILED, error=str(exc) or type(exc).__name__)
    return _outcome(message, Status.SENT, reference=reference)


def _outcome(message: OutboundMessage, status: str, *, reference: str = "", error: str = "") -> str:
    now = timezone.now()
    with transaction.atomic():
        # From "unknown" too: a task delivered again while this one was still sending may have
        # given up on it; this run knows better.
        changed = OutboundMessage.objects.filter(pk=message.pk, status__in=[Status.SENDING, Status.UNKNOWN]).update(
            status=status,
            backend_ref=reference[:300],
            error=error[:500],
            status_changed_at=now,
            sent_at=now if status == Status.SENT else None,
        )
        if changed and status in (Status.FAILED, Status.UNKNOWN):
            _problem_recorded(message, status, error)
        if changed:
            publish.panels_changed(message.customer_id)
    return status


def _unconfirmed(message_id: int, *, because: str) -> bool:
    """Sending -> unknown, with a timeline entry saying delivery was not confirmed."""
    with transaction.atomic():
        changed = OutboundMessage.objects.filter(pk=message_id, status=Status.SENDING).update(
            status=Status.UNKNOWN, error=because[:500], status_changed_at=timezone.now()
        )
        if changed:
            message = OutboundMessage.objects.select_related("statement").get(pk=message_id)
            _problem_recorded(message, Status.UNKNOWN, because)
            publish.panels_changed(message.customer_id)
    return bool(changed)


@transaction.atomic
def message_to_customer(
    *,
    customer_id: int,
    template_key: str,
    channel: str,
    context: dict | None = None,
    case=None,
    actor_user=None,
    actor_source: str = "",
    idempotency_key: str | None = None,
) -> tuple[OutboundMessage, bool]:
    """Queue one message from an admin-edited template, in the customer's language.

    Writes the message and its timeline entry (on the case, if given) and hands it to a worker
    once the transaction commits. The same ``idempotency_key`` again returns the first message
    and ``created`` False: nothing more is written or sent, so a job run twice texts once.
    Without an address for the channel the message is recorded as failed, with the reason, on
    the timeline and in the messages panel, where it can be sent again once there is one.
    """

    if actor_user is not None:
        require(actor_user, Capability.SEND_MESSAGES)
    if channel not in OutboundMessage.Channel.values:
        raise ValidationError(f"Messages cannot be sent by '{channel}'.")
    key = idempotency_key or f"message:{template_key}:{customer_id}:{uuid.uuid4().hex}"
    existing = OutboundMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    customer = Customer.objects.get(pk=customer_id)
    if case is not None and case.customer_id != customer_id:
        raise ValidationError(f"Case {case.pk} is not this customer's.")
    try:
        template = MessageTemplate.objects.get(key=template_key)
    except MessageTemplate.DoesNotExist:
        raise ValidationError(f"There is no message template '{template_key}' (admin: Message templates).") from None
    language = language_of(customer)
    values = {"name": customer.name, "customer_number": customer.customer_number, **(context or {})}
    if case is not None:
        values.setdefault("case_ref", case.reference)
    subject, body = message_render(template, language=language, values=values)
    recipient, missing = recipient_for(customer=customer, channel=channel)
    now = timezone.now()
    try:
        with transaction.atomic():
            message = OutboundMessage.objects.create(
                customer=customer,
                channel=channel,
                template_key=template_key,
                language=language,
                to_address=recipient.to_address if recipient else "",
                subject=subject,
                body=body,
                status=Status.QUEUED if recipient else Status.FAILED,
                error="" if recipient else f"Not sent: {missing}."[:500],
                idempotency_key=key,
                case=case,
                requested_by=actor_user,
                status_changed_at=now,
            )
    except IntegrityError:
        # Another transaction wrote this key between the look and the insert.
        return OutboundMessage.objects.get(idempotency_key=key), False
    label = OutboundMessage.Channel(channel).label
    to = f" to {recipient.display}" if recipient else ""
    # The timeline's line: the subject of an e-mail or letter, the start of a text; the whole
    # text below it unless the line already said it all.
    headline = message.headline
    shown = "" if body.strip() == headline else body
    if recipient is None:
        shown = f"{shown}\nNot sent: {missing}. It can be sent again from the messages panel.".strip()
    timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.MESSAGE,
        channel=channel,
        direction=TimelineEntry.Direction.OUTBOUND,
        summary=f"{label}{to}: {headline}"[:300],
        body=shown,
        actor_user=actor_user,
        actor_source=actor_source or ("" if actor_user else "messaging"),
        raw={"message_id": message.pk, "template": template_key, "status": message.status},
        case=case,
    )
    if actor_user is not None:
        audit_event_record(
            actor=actor_user,
            action=AuditEvent.Action.SENT_MESSAGE,
            customer=customer,
            detail=f"{label} (#{message.pk})",  # no address: the audit trail outlives an erasure
        )
    if recipient:
        tasks.messages_send_on_commit([message.pk])
    publish.panels_changed(customer_id)
    return message, True


def message_title(message: OutboundMessage) -> str:
    """What the message is, in the words the timeline and the panel use."""
    if message.statement_id:
        title = f"invoice statement for {period_label(message.statement.period)}"
        return f"Copy of the {title}" if message.is_copy else title[0].upper() + title[1:]
    return message.headline or message.template_key


def _problem_recorded(message: OutboundMessage, status: str, error: str) -> None:
    """A message that failed or may not have arrived goes on the customer's timeline."""
    how = f"{message.get_channel_display().lower()} to {message.to_display}"
    if status == Status.UNKNOWN:
        summary = f"{message_title(message)} by {how}: delivery not confirmed"
        body = f"{error} It may or may not have arrived; ask the customer before sending it again."
    else:
        summary = f"{message_title(message)} by {how} could not be sent"
        panel = "invoices" if message.statement_id else "messages"
        body = f"{error} It can be sent again from the {panel} panel."
    timeline_entry_record(
        customer_id=message.customer_id,
        kind=TimelineEntry.Kind.STATEMENT if message.statement_id else TimelineEntry.Kind.MESSAGE,
        channel=message.channel,
        direction=TimelineEntry.Direction.INTERNAL,
        summary=summary,
        body=body,
        actor_source="messaging",
        raw={"message_id": message.pk, "status": status},
        case=message.case,
    )


def message_retry(*, user, message_id: int, customer_id: int) -> OutboundMessage:
    """An agent sends a failed or unconfirmed message again, knowing it may arrive twice."""

    require(user, Capability.SEND_MESSAGES)
    with transaction.atomic():
        message = OutboundMessage.objects.select_related("statement").get(pk=message_id, customer_id=customer_id)
        if message.statement_id:
            require(user, Capability.VIEW_INVOICES)
        to_address = message.to_address
        if not to_address:
            # It failed for want of an address: the agent may have added one since.
            recipient, missing = recipient_for(customer=message.customer, channel=message.channel)
            if recipient is None:
                raise ValidationError(f"It still cannot be sent: {missing}.")
            to_address = recipient.to_address
        changed = OutboundMessage.objects.filter(pk=message_id, status__in=OutboundMessage.RETRYABLE).update(
            status=Status.QUEUED,
            error="",
            status_changed_at=timezone.now(),
            requested_by=user,
            to_address=to_address,
        )
        if not changed:
            raise ValidationError("This message is not waiting to be sent again: it was sent, or is being sent.")
        audit_event_record(
            actor=user,
            action=AuditEvent.Action.SENT_STATEMENT if message.statement_id else AuditEvent.Action.SENT_MESSAGE,
            customer=message.customer,
            detail=f"Sent again: {message_title(message)} by {message.get_channel_display().lower()} (#{message.pk})",
        )
        tasks.messages_send_on_commit([message.pk])
        publish.panels_changed(message.customer_id)
    message.refresh_from_db()
    return message


def messages_resume_stalled(*, now: datetime | None = None) -> tuple[int, int]:
    """The periodic safety net: (re-queued, marked unknown).

    A message still *queued* long after it was written lost its task (the broker was down when
    the transaction committed): it is handed to a worker again, which is harmless if the first
    task turns up after all. A message *sending* for longer than any send takes lost its worker
    and its task was never delivered again: delivery is marked not confirmed.
    """

    now = now or timezone.now()
    requeue_before = now - timedelta(minutes=settings.MESSAGE_REQUEUE_AFTER_MINUTES)
    unknown_before = now - timedelta(minutes=settings.MESSAGE_SENDING_TIMEOUT_MINUTES)
    unknown = 0
    for message_id in OutboundMessage.objects.filter(
        status=Status.SENDING, status_changed_at__lt=unknown_before
    ).values_list("pk", flat=True)[:1000]:
        unknown += _unconfirmed(message_id, because="No worker confirmed delivery in time.")
    stalled = list(
        OutboundMessage.objects.filter(status=Status.QUEUED, status_changed_at__lt=requeue_before)
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )
    # The clock restarts, so each stalled message is handed over again at most once per period.
    OutboundMessage.objects.filter(pk__in=stalled, status=Status.QUEUED).update(status_changed_at=now)
    for message_id in stalled:
        tasks.message_send_task.delay(message_id)
    return len(stalled), unknown
