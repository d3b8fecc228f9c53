"""Guided journeys: start one on a case, move it on as events arrive, take its failure branch,
and record what the customer chose. Every change is on the case's timeline, and the customer
gets the template's messages in their own language."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, agent_channel, require
from console.cases.models import Case
from console.cases.services import case_event_record, case_open, case_update
from console.commerce.models import Order, OrderLine, Return
from console.journeys import matching
from console.journeys.models import CaseJourney, HeardEvent, JourneyFailure, JourneyStep, JourneyTemplate
from console.journeys.selectors import (
    events_missed,
    inbound_event_facts,
    journeys_listening,
    journeys_missing_events,
)
from console.messaging.services import message_to_customer
from console.timeline.models import Channel, TimelineEntry

SOURCE = "journeys"
log = logging.getLogger(__name__)


@transaction.atomic
def journey_start(
    *,
    customer_id: int,
    template_id: int,
    title: str = "",
    order_number: str | None = None,
    actor_user=None,
    team: str = "phone",
    channel: str = Channel.SYSTEM,
) -> CaseJourney:
    """Open a journey case that follows the template (and the order, if given).

    The journey rests on the first step the records do not already show done (a return opened
    before the journey started, say), and the customer gets that step's message.
    """
    if actor_user is not None:
        require(actor_user, Capability.RECORD_INTERACTIONS)
    template = JourneyTemplate.objects.filter(pk=template_id, active=True).first()
    if template is None:
        raise ValidationError("Choose an active journey template.")
    steps = _steps(template)
    if not steps:
        raise ValidationError(f"The journey “{template.name}” has no steps yet.")
    order_number = (order_number or "").strip().upper()
    _check_order(template, customer_id=customer_id, order_number=order_number)
    case = case_open(
        customer_id=customer_id,
        title=(title or "").strip() or template.name,
        kind=Case.Kind.JOURNEY,
        team=team,
        next_step=steps[0].title,
        channel=channel,
        actor_user=actor_user,
        actor_source="" if actor_user else SOURCE,
    )
    journey = CaseJourney.objects.create(
        case=case,
        template=template,
        order_number=order_number,
        current_step=steps[0],
        history=[_item("started", step=steps[0])],
    )
    follows = f"follows order {order_number}" if order_number else "follows no order"
    case_event_record(
        case=case,
        summary=f"Journey started: {template.name}",
        body=f"{len(steps)} steps, {follows}: " + "; ".join(f"{n}. {s.title}" for n, s in enumerate(steps, 1)) + ".",
        audit=AuditEvent.Action.STARTED_JOURNEY,
        user=actor_user,
        actor_source="" if actor_user else SOURCE,
        channel=channel,
    )
    _move_on(journey, steps=steps, seen=None, entry_id=None, actor_user=actor_user, starting=True)
    return journey


def _steps(template: JourneyTemplate) -> list[JourneyStep]:
    return list(template.steps.order_by("position"))


def _check_order(template: JourneyTemplate, *, customer_id: int, order_number: str) -> None:
    listens_to_orders = (
        template.steps.filter(event_type__in=matching.ORDER_EVENTS).exists()
        or template.failures.filter(event_type__in=matching.ORDER_EVENTS).exists()
    )
    if order_number and not Order.objects.filter(customer_id=customer_id, order_number=order_number).exists():
        raise ValidationError(f"This customer has no order {order_number}.")
    if listens_to_orders and not order_number:
        raise ValidationError(f"The journey “{template.name}” follows an order: give the order number.")


def _item(what: str, *, step: JourneyStep | None = None, entry_id: int | None = None, **extra) -> dict:
    item = {"at": timezone.now().isoformat(), "what": what, "entry_id": entry_id, **extra}
    if step is not None:
        item.update(step=step.pk, title=step.title)
    return item


def journeys_on_event(
    *, customer_id: int, event_type: str, data: dict, entry_id: int | None, inbound_event_id: int | None = None
) -> list[CaseJourney]:
    """Let every running journey of the customer hear an applied event: it completes the current
    step (and the next ones it also completes), or takes a failure branch.

    An event a journey already heard (the same inbound event or timeline entry: a task run
    twice, or the catch-up got there first) changes nothing. Returns the journeys that changed.
    """
    order_number = data.get("order_number") if event_type in matching.ORDER_EVENTS else None
    ids = journeys_listening(customer_id=customer_id, event_type=event_type, order_number=order_number)
    if not ids:
        return []
    seen = matching.Seen(event_type, data, _order_lines(customer_id, order_number))
    changed = []
    for journey_id in ids:
        journey = _journey_hear(journey_id=journey_id, seen=seen, entry_id=entry_id, inbound_event_id=inbound_event_id)
        if journey is not None:
            changed.append(journey)
    return changed


def _order_lines(customer_id: int, order_number: str | None) -> list[dict] | None:
    """The order's lines as recorded now: an update that names one line adds up with the earlier ones."""
    if not order_number:
        return None
    return list(
        OrderLine.objects.filter(order__customer_id=customer_id, order__order_number=order_number).values(
            "sku", "status"
        )
    )


def journeys_catch_up() -> int:
    """The periodic safety net: every running or waiting journey hears, in the order they were
    applied, the events of its customer it missed since it started (their follow-up task was
    lost: the broker was down when the event committed). Returns how many it heard late; a
    second run finds none.

    Not one transaction: each event is heard in its own, as the task would have, so a long
    sweep holds no locks and one journey that fails to move on does not hold up the others.
    """
    heard = 0
    for journey_id in journeys_missing_events():
        try:
            for inbound_event_id in events_missed(journey_id=journey_id):
                _journey_hear_late(journey_id=journey_id, inbound_event_id=inbound_event_id)
                heard += 1
        except Exception:  # noqa: BLE001 - logged; this journey is tried again on the next run
            log.exception("journey %s could not catch up on the events it missed", journey_id)
    return heard


def _journey_hear_late(*, journey_id: int, inbound_event_id: int) -> None:
    facts = inbound_event_facts(inbound_event_id=inbound_event_id)
    event_type, data = facts["event_type"], facts["data"]
    order_number = data.get("order_number") if event_type in matching.ORDER_EVENTS else None
    if order_number is not None and not CaseJourney.objects.filter(pk=journey_id, order_number=order_number).exists():
        # News of another order, which the event path never brings to this journey either.
        HeardEvent.objects.get_or_create(journey_id=journey_id, inbound_event_id=inbound_event_id)
        return
    seen = matching.Seen(event_type, data, _order_lines(facts["customer_id"], order_number))
    _journey_hear(journey_id=journey_id, seen=seen, entry_id=facts["entry_id"], inbound_event_id=inbound_event_id)


@transaction.atomic
def _journey_hear(
    *, journey_id: int, seen: matching.Seen, entry_id: int | None, inbound_event_id: int | None
) -> CaseJourney | None:
    journey = (
        CaseJourney.objects.select_for_update(of=("self",))
        .select_related("case__customer", "template")
        .get(pk=journey_id)
    )
    if inbound_event_id is not None:
        _, first_time = HeardEvent.objects.get_or_create(journey=journey, inbound_event_id=inbound_event_id)
        if not first_time:
            return None
    if journey.state not in CaseJourney.ACTIVE_STATES or journey.has_seen(entry_id):
        return None
    failure = _failure_met(journey, seen)
    if failure is not None:
        _failure_take(journey, failure, seen=seen, entry_id=entry_id)
        return journey
    if journey.state != CaseJourney.State.RUNNING:
        return None
    steps = _steps(journey.template)
    return journey if _move_on(journey, steps=steps, seen=seen, entry_id=entry_id) else None


def _failure_met(journey: CaseJourney, seen: matching.Seen) -> JourneyFailure | None:
    failures = journey.template.failures.filter(event_type=seen.event_type).select_related("step")
    for failure in failures:
        if failure.step_id not in (None, journey.current_step_id):
            continue
        if matching.matches(failure.event_type, failure.conditions, seen):
            return failure
    return None


def _step_met(journey: CaseJourney, step: JourneyStep, seen: matching.Seen | None) -> bool:
    """The event completes the step, or the records already show it done (every line of the
    order delivered, the return received)."""
    if not step.event_type:
        return False
    if seen is not None and matching.matches(step.event_type, step.conditions, seen):
        return True
    return _met_by_records(journey, step)


def _met_by_records(journey: CaseJourney, step: JourneyStep) -> bool:
    if not journey.order_number:
        return False
    customer_id = journey.case.customer_id
    if step.event_type in ("order.placed", "order.updated") and step.conditions.get("every_line"):
        return matching.lines_match(step.conditions, _order_lines(customer_id, journey.order_number))
    if step.event_type in ("return.opened", "return.updated"):
        returns = Return.objects.filter(customer_id=customer_id, order__order_number=journey.order_number)
        return any(
            matching.matches(step.event_type, step.conditions, matching.Seen(step.event_type, r))
            for r in returns.values("status", "reason")
        )
    return False


def _move_on(journey, *, steps, seen, entry_id, actor_user=None, force=False, starting=False) -> bool:
    """Complete the current step and each next one that is met; then tell the customer about the
    step the journey rests on (or that it is done) and put it on the case as the next step."""
    done = []
    while journey.current_step is not None and (force or _step_met(journey, journey.current_step, seen)):
        # Only the forced step is the agent's; the ones after it were done by events or records.
        marked_by, force = (actor_user if force else None), False
        step = journey.current_step
        done.append(step)
        journey.history.append(_item("step_done", step=step, entry_id=entry_id))
        journey.current_step = next((s for s in steps if s.position > step.position), None)
        _step_done_record(journey, step, steps=steps, marked_by=marked_by)
    if not done and not starting:
        return False
    if journey.current_step is None:
        journey.state = CaseJourney.State.DONE
        journey.history.append(_item("done", entry_id=entry_id))
    journey.save()
    _tell_where_it_stands(journey, actor_user=actor_user)
    return True


def _step_done_record(journey: CaseJourney, step: JourneyStep, *, steps, marked_by) -> None:
    number = steps.index(step) + 1
    by = (
        f"marked done by {marked_by.get_full_name() or marked_by.get_username()}"
        if marked_by
        else f"done on {step.matcher_text}"
    )
    case_event_record(
        case=journey.case,
        summary=f"Journey step {number} of {len(steps)} done: {step.title}",
        body=f"{journey.template.name}; {by}.",
        audit=AuditEvent.Action.UPDATED_CASE,
        user=marked_by,
        actor_source="" if marked_by else SOURCE,
    )


def _tell_where_it_stands(journey: CaseJourney, *, actor_user=None) -> None:
    step = journey.current_step
    if step is None:
        if journey.template.done_message_key:
            _tell(journey, journey.template.done_message_key, key="done")
        case_update(
            case_id=journey.case_id,
            user=actor_user,
            actor_source=SOURCE,
            status=Case.Status.RESOLVED,
            next_step="",
        )
        return
    if step.message_template_key:
        _tell(journey, step.message_template_key, key=f"step:{step.pk}")
    case_update(case_id=journey.case_id, user=actor_user, actor_source=SOURCE, next_step=step.title)


def _tell(journey: CaseJourney, template_key: str, *, key: str, **context) -> None:
    """A message from the journey's template to the customer, once per journey and occasion."""

    message_to_customer(
        customer_id=journey.case.customer_id,
        template_key=template_key,
        channel=journey.template.channel,
        context={"order_number": journey.order_number, **context},
        case=journey.case,
        actor_source=SOURCE,
        idempotency_key=f"journey:{journey.pk}:{key}",
    )


def _failure_take(journey: CaseJourney, failure: JourneyFailure, *, seen, entry_id) -> None:
    """Off the green path: say what happened on the case, tell the customer and offer the
    template's choices, and wait for their choice. The same failure again while the customer
    has yet to choose is only noted, not sent again."""
    again = journey.state == CaseJourney.State.WAITING and journey.failure_id == failure.pk
    journey.history.append(_item("failed", step=journey.current_step, entry_id=entry_id, failure=failure.title))
    journey.state, journey.failure = CaseJourney.State.WAITING, failure
    journey.save()
    labels = failure.choice_labels()
    case_event_record(
        case=journey.case,
        summary=f"Journey off track{' again' if again else ''}: {failure.title}",
        body=f"{journey.template.name}, at “{_step_title(journey)}”, on {matching.event_words(seen.event_type)}. "
        + ("The customer was already asked to choose." if again else f"Offered to the customer: {'; '.join(labels)}."),
        audit=AuditEvent.Action.UPDATED_CASE,
        actor_source=SOURCE,
    )
    if again:
        return
    language = "en" if journey.case.customer.language == "en" else "nl"
    choices = "\n".join(
        f"{n}. {english if language == 'en' else dutch}" for n, (english, dutch) in enumerate(failure.choice_list(), 1)
    )
    _tell(journey, failure.message_template_key, key=f"failure:{failure.pk}:{entry_id}", choices=choices)
    case_update(
        case_id=journey.case_id,
        actor_source=SOURCE,
        status=Case.Status.WAITING,
        next_step=f"Customer to choose: {' / '.join(labels)}",
    )


def _step_title(journey: CaseJourney) -> str:
    return journey.current_step.title if journey.current_step else "the end"


def _journey_of_case(case_id: int) -> CaseJourney:
    journey = (
        CaseJourney.objects.select_for_update(of=("self",))
        .select_related("case", "case__customer", "template", "current_step", "failure")
        .filter(case_id=case_id)
        .first()
    )
    if journey is None:
        raise ValidationError("This case does not follow a journey.")
    return journey


@transaction.atomic
def journey_choice_record(*, user, case_id: int, choice: str) -> CaseJourney:
    """The customer told an agent what they choose: on the case, and the journey runs on with
    the arrangement as the case's next step."""
    require(user, Capability.RECORD_INTERACTIONS)
    journey = _journey_of_case(case_id)
    if journey.state != CaseJourney.State.WAITING or journey.failure is None:
        raise ValidationError("The customer has no choice to make on this journey right now.")
    if choice not in journey.failure.choice_labels():
        raise ValidationError(f"“{choice}” is not one of the choices offered.")
    journey.history.append(_item("chose", step=journey.current_step, choice=choice, failure=journey.failure.title))
    failure_title = journey.failure.title
    journey.state, journey.failure = CaseJourney.State.RUNNING, None
    journey.save()
    case_event_record(
        case=journey.case,
        summary=f"Customer chose: {choice}",
        body=f"{journey.template.name}, after “{failure_title}”.",
        audit=AuditEvent.Action.RECORDED_JOURNEY_CHOICE,
        user=user,
        channel=agent_channel(user),
        direction=TimelineEntry.Direction.INBOUND,
    )
    case_update(
        case_id=journey.case_id,
        user=user,
        status=Case.Status.OPEN,
        next_step=f"Arrange what the customer chose: {choice}",
    )
    # Steps the records show done meanwhile (the SIM delivered after all) complete now.
    _move_on(journey, steps=_steps(journey.template), seen=None, entry_id=None)
    return journey


@transaction.atomic
def journey_step_complete(*, user, case_id: int) -> CaseJourney:
    """An agent marks the current step done (a step no event completes, or an event that never came)."""
    require(user, Capability.RECORD_INTERACTIONS)
    journey = _journey_of_case(case_id)
    if journey.state != CaseJourney.State.RUNNING or journey.current_step is None:
        raise ValidationError("Only the current step of a running journey can be marked done.")
    _move_on(journey, steps=_steps(journey.template), seen=None, entry_id=None, actor_user=user, force=True)
    return journey
