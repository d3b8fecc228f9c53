"""Callbacks: promise one in a window, make it, move it (story S5, docs/callbacks.md); the beat
job that moves the ones about to be missed is in about_to_be_missed.py.

A callback lives on a case (a new one of kind "callback" in the phone queue, or the case the
agent is on). The case's due time and next step follow the callback through
``cases.services.case_update``, which also writes the case's timeline entries and refreshes
the queues. Lock order, as everywhere: callback row, then case, then customer.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, agent_channel, require
from console.accounts.services import audit_event_record
from console.callbacks.models import Callback
from console.callbacks.selectors import phone_on_record
from console.callbacks.windows import opening_hours, window_for_agents, window_for_customer
from console.cases.models import Case, Team
from console.cases.services import KEEP, case_locked, case_open, case_update
from console.customers.identifiers import InvalidIdentifier, format_phone, normalise_phone
from console.customers.models import Customer
from console.messaging.models import OutboundMessage
from console.messaging.services import message_to_customer
from console.timeline.models import Channel, TimelineEntry
from console.timeline.services import timeline_entry_record

# Who the beat job's changes are by, on the timeline and on the messages.
BEAT_SOURCE = "callbacks"
# Why the next step changed, for whoever picks the case up after the beat job moved it.
MOVED_NOTE = " (moved: the promised window would have been missed; {texted})"
TEXTED = "the customer was texted the new time"
NOT_TEXTED = "the text could not be sent: {reason}"


def moved_note(message: OutboundMessage) -> str:
    """What the next step says about the "new time" text: sent, or why not."""
    if message.status != OutboundMessage.Status.FAILED:
        return MOVED_NOTE.format(texted=TEXTED)
    reason = message.error.removeprefix("Not sent: ").rstrip(".") or "unknown reason"
    return MOVED_NOTE.format(texted=NOT_TEXTED.format(reason=reason))


def missed_step(moves: int) -> str:
    """The next step once the beat job stopped moving a callback nobody made."""
    times = "twice" if moves == 2 else f"{moves} times" if moves != 1 else "once"
    return f"Callback missed {times}: call the customer now or ask a manager"


def window_check(*, start: datetime, end: datetime, now: datetime | None = None) -> None:
    """A window must end after it starts, and not be over (or about to be) already."""
    now = now or timezone.now()
    if end <= start:
        raise ValidationError("The window must end after it starts.")
    lead = timedelta(minutes=settings.CALLBACK_WARN_LEAD_MINUTES)
    if end <= now + lead:
        raise ValidationError(
            f"That window is over or about to be: it must end at least {settings.CALLBACK_WARN_LEAD_MINUTES} "
            "minutes from now."
        )
    if end - start > timedelta(hours=24):
        raise ValidationError("A window longer than a day is no promise: make it shorter.")
    opens, closes = opening_hours()
    start_local, end_local = timezone.localtime(start), timezone.localtime(end)
    if start_local.date() != end_local.date() or start_local.time() < opens or end_local.time() > closes:
        raise ValidationError(
            f"Callbacks are made between {opens:%H:%M} and {closes:%H:%M}: "
            "choose a window within those hours, on one day."
        )


def _checked(user, *, window_start: datetime, window_end: datetime, text_customer: bool) -> None:
    """What promising and moving a callback both check first: the role (and the role that
    texts, when the customer is to be texted) and the window."""
    require(user, Capability.RECORD_INTERACTIONS)
    if text_customer:
        require(user, Capability.SEND_MESSAGES)
    window_check(start=window_start, end=window_end)


def _number_to_call(customer: Customer, typed: str) -> str:
    if typed.strip():
        try:
            return normalise_phone(typed)
        except InvalidIdentifier as exc:
            raise ValidationError(str(exc)) from exc
    on_record = phone_on_record(customer.identifiers.all())
    if not on_record:
        raise ValidationError("This customer has no phone number on record: type the number to call.")
    return on_record


def next_step_for(phone: str, start: datetime, end: datetime) -> str:
    return f"Call back {format_phone(phone)} {window_for_agents(start, end)}"


def due_follows(case: Case, *, old_end: datetime | None, new_end: datetime):
    """The case's due time moves with the callback window when it was set from it (or unset);
    another due time, such as a complaint's deadline, is left alone when it is earlier."""
    if case.due_at is None or case.due_at == old_end or case.kind == Case.Kind.CALLBACK:
        return new_end
    if case.kind != Case.Kind.COMPLAINT and case.due_at > new_end:
        return new_end
    return KEEP


def callback_promise(
    *,
    customer_id: int,
    user,
    window_start: datetime,
    window_end: datetime,
    phone: str = "",
    about: str = "",
    case_id: int | None = None,
    text_customer: bool = False,
) -> Callback:
    """Promise to call the customer back between ``window_start`` and ``window_end``.

    Without ``case_id`` a callback case is opened in the phone queue; with it, the callback
    belongs to that (open) case of the customer's, which moves to the phone queue. With
    ``text_customer`` the customer gets an SMS with the window (``callback_promised``). The
    case's team, due time and next step before the callback are kept on it, and given back
    when the call is made.
    """
    _checked(user, window_start=window_start, window_end=window_end, text_customer=text_customer)
    with transaction.atomic():
        customer = Customer.objects.get(pk=customer_id)
        number = _number_to_call(customer, phone)
        next_step = next_step_for(number, window_start, window_end)
        before = {}
        if case_id is None:
            case = case_open(
                customer_id=customer.pk,
                title=f"Call back: {about.strip()}" if about.strip() else "Call the customer back",
                kind=Case.Kind.CALLBACK,
                team=Team.PHONE,
                due_at=window_end,
                next_step=next_step,
                channel=agent_channel(user),
                actor_user=user,
            )
        else:
            case = _open_case_of(customer, case_id)
            before = _case_before(case)
            case = case_update(
                case_id=case.pk,
                user=user,
                team=Team.PHONE,
                due_at=due_follows(case, old_end=None, new_end=window_end),
                next_step=next_step,
            )
        callback = Callback.objects.create(
            case=case,
            customer=customer,
            phone=number,
            window_start=window_start,
            window_end=window_end,
            promised_by=user,
            **before,
        )
        audit_event_record(
            actor=user,
            action=AuditEvent.Action.PROMISED_CALLBACK,
            customer=customer,
            detail=case.reference,  # not the next step: it holds the number (docs/privacy.md)
        )
        if text_customer:
            customer_text(callback, template_key="callback_promised", key=f"callback:{callback.pk}:promised", user=user)
    return callback


def _open_case_of(customer: Customer, case_id: int) -> Case:
    """The customer's open case, locked: what the callback changes is decided on the row as
    it is now, not as some other agent's change left it a moment ago."""
    if not Case.objects.filter(pk=case_id, customer=customer).exists():
        raise ValidationError("That case is not this customer's.")
    case = case_locked(case_id)
    if not case.is_open:
        raise ValidationError(f"Case {case.reference} is closed: promise the callback on a new case.")
    return case


def _case_before(case: Case) -> dict:
    """What the case had before a callback took it over, to give back when the call is made.
    Nothing for a callback case (it is the callback's own); another callback still promised on
    the case already holds it (the case's team and next step are the callbacks' by now)."""
    if case.kind == Case.Kind.CALLBACK:
        return {}
    earlier = (
        Callback.objects.filter(case=case, status=Callback.Status.PROMISED)
        .values("case_team_before", "case_due_before", "case_next_step_before")
        .first()
    )
    if earlier is not None:
        return earlier
    return {"case_team_before": case.team, "case_due_before": case.due_at, "case_next_step_before": case.next_step}


def customer_text(callback: Callback, *, template_key: str, key: str, user=None) -> OutboundMessage:
    """The customer's SMS about the window, in their language, on the callback's case; the
    message (failed, with the reason, when the customer has no mobile number)."""
    message, _created = message_to_customer(
        customer_id=callback.customer_id,
        template_key=template_key,
        channel="sms",
        context={"window": window_for_customer(callback.window_start, callback.window_end, callback.customer.language)},
        case=callback.case,
        actor_user=user,
        actor_source=BEAT_SOURCE if user is None else "",
        idempotency_key=key,
    )
    return message


def _locked_promised(callback_id: int) -> Callback:
    callback = Callback.objects.select_for_update(of=("self",)).select_related("case", "customer").get(pk=callback_id)
    if not callback.is_promised:
        raise ValidationError("This callback was already made.")
    return callback


def callback_reschedule(
    *, callback_id: int, user, window_start: datetime, window_end: datetime, text_customer: bool = False
) -> Callback:
    """An agent moves a promised callback to another window (the customer asked, or it will
    not be made in time); with ``text_customer`` the customer is texted the new time.

    A window an agent chose is a fresh promise: the beat job may move it again
    (``CALLBACK_MAX_MOVES`` times) before it escalates.
    """
    _checked(user, window_start=window_start, window_end=window_end, text_customer=text_customer)
    with transaction.atomic():
        callback = _locked_promised(callback_id)
        old_end = callback.window_end
        _move(callback, start=window_start, end=window_end, old_end=old_end, user=user)
        audit_event_record(
            actor=user,
            action=AuditEvent.Action.RESCHEDULED_CALLBACK,
            customer=callback.customer,
            detail=f"{callback.case.reference}: {window_for_agents(window_start, window_end)}",
        )
        if text_customer:
            key = f"callback:{callback.pk}:moved:{window_end.isoformat()}"
            customer_text(callback, template_key="callback_new_time", key=key, user=user)
    return callback


def _move(callback: Callback, *, start: datetime, end: datetime, old_end: datetime, user) -> None:
    callback.window_start, callback.window_end = start, end
    callback.moved_count += 1
    callback.moved_at = timezone.now()
    callback.auto_moves, callback.escalated_at = 0, None
    callback.save(update_fields=["window_start", "window_end", "moved_count", "moved_at", "auto_moves", "escalated_at"])
    case = case_locked(callback.case_id)
    case_update(
        case_id=case.pk,
        user=user,
        due_at=due_follows(case, old_end=old_end, new_end=end),
        next_step=next_step_for(callback.phone, start, end),
    )


def callback_complete(*, callback_id: int, user, outcome: str, next_step: str = "") -> Callback:
    """The phone agent made the callback: the outcome goes on the timeline with the case.

    Without a next step a callback case is resolved (when no other callback on it is still
    promised); with one, the case stays open with that next step. A case the callback took
    over gets back its team, due time and next step (the agent's next step, if given, wins).
    """
    require(user, Capability.RECORD_INTERACTIONS)
    outcome, next_step = outcome.strip(), next_step.strip()
    if not outcome:
        raise ValidationError("Write down how the call went.")
    with transaction.atomic():
        callback = _locked_promised(callback_id)
        callback.status = Callback.Status.MADE
        callback.outcome = outcome[:10_000]
        callback.made_by = user
        callback.made_at = timezone.now()
        callback.save(update_fields=["status", "outcome", "made_by", "made_at"])
        case = _case_after_call(callback, user=user, next_step=next_step)
        timeline_entry_record(
            customer_id=callback.customer_id,
            kind=TimelineEntry.Kind.CALL,
            channel=Channel.PHONE,
            direction=TimelineEntry.Direction.OUTBOUND,
            summary=f"Called back {callback.phone_display} as promised",
            body=callback.outcome,
            actor_user=user,
            case=case,
        )
        audit_event_record(
            actor=user,
            action=AuditEvent.Action.COMPLETED_CALLBACK,
            customer=callback.customer,
            detail=f"{case.reference}: called back",  # no number: the audit trail outlives an erasure
        )
    return callback


def _case_after_call(callback: Callback, *, user, next_step: str) -> Case:
    case = case_locked(callback.case_id)
    still_promised = Callback.objects.filter(case=case, status=Callback.Status.PROMISED).exists()
    if callback.case_team_before and not still_promised:
        # The case was there before the callback: it goes back to its queue, deadline and step.
        return case_update(
            case_id=case.pk,
            user=user,
            team=callback.case_team_before,
            due_at=callback.case_due_before,
            next_step=next_step or callback.case_next_step_before,
        )
    if next_step or still_promised or case.kind != Case.Kind.CALLBACK:
        due = None if case.due_at == callback.window_end and not still_promised else KEEP
        return case_update(case_id=case.pk, user=user, next_step=next_step, due_at=due)
    return case_update(case_id=case.pk, user=user, status=Case.Status.RESOLVED, next_step="")
