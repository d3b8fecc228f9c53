"""Reads for journeys: which events journeys listen to (asked on every event, so cached), the
templates an agent can start, and where a journey stands."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef
from django.utils.dateparse import parse_datetime

from console.cache import cached, cached_forget
from console.cases.models import Case
from console.ingest.models import InboundEvent
from console.journeys.models import CaseJourney, HeardEvent, JourneyFailure, JourneyStep, JourneyTemplate

LISTENED_KEY = "journeys:listened-event-types"
STARTABLE_KEY = "journeys:startable-templates"


def templates_changed(**kwargs) -> None:
    """A template, step or failure was saved or deleted: forget what was cached about them."""
    cached_forget(LISTENED_KEY, STARTABLE_KEY)


def _listened() -> list[str]:
    steps = JourneyStep.objects.filter(template__active=True).exclude(event_type="")
    failures = JourneyFailure.objects.filter(template__active=True)
    both = steps.order_by().values_list("event_type").union(failures.order_by().values_list("event_type"))
    return sorted(t for (t,) in both)


def listened_event_types() -> frozenset[str]:
    """The event types an active template's step or failure waits for; no query when cached."""
    return frozenset(cached(LISTENED_KEY, _listened))


def startable_templates() -> list[tuple[int, str]]:
    """(id, name) of the active templates that have steps, for the "Start journey" menu."""
    templates = cached(
        STARTABLE_KEY,
        lambda: list(
            JourneyTemplate.objects.filter(active=True, steps__isnull=False).distinct().values_list("id", "name")
        ),
    )
    return [tuple(t) for t in templates]


def journeys_listening(*, customer_id: int, event_type: str, order_number: str | None) -> list[int]:
    """The customer's running or waiting journeys (on open cases) that may hear this event; an
    event about an order reaches only the journeys that follow that order."""
    journeys = CaseJourney.objects.filter(
        case__customer_id=customer_id, case__status__in=Case.OPEN_STATUSES, state__in=CaseJourney.ACTIVE_STATES
    )
    if order_number is not None:
        journeys = journeys.filter(order_number=order_number)
    return list(journeys.order_by("pk").values_list("pk", flat=True))


@dataclass
class StepShown:
    step: JourneyStep
    state: str  # done / current / failed / pending
    done_at: datetime | None = None


@dataclass
class ChoiceShown:
    """A choice as the agent records it (English), with the words the customer was sent when
    those are Dutch, so the agent recognises what the customer says."""

    label: str
    customer_words: str = ""


@dataclass
class Progress:
    journey: CaseJourney
    steps: list[StepShown]
    choices: list[ChoiceShown] = field(default_factory=list)
    chosen: str = ""

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.state == "done")

    @property
    def current(self) -> StepShown | None:
        return next((s for s in self.steps if s.state in ("current", "failed")), None)


def case_journey(case: Case) -> CaseJourney | None:
    """The journey the case follows (two queries with its steps), or None without a query for
    a case of another kind."""
    if case.kind != Case.Kind.JOURNEY:
        return None
    return CaseJourney.objects.select_related("template", "current_step", "failure").filter(case_id=case.pk).first()


def case_progress(case: Case) -> Progress | None:
    """Where the case's journey stands, in the customer's language (``case.customer`` loaded);
    None, without a query, for a case of another kind."""
    journey = case_journey(case)
    return journey_progress(journey, language=case.customer.language) if journey is not None else None


def journey_progress(journey: CaseJourney, *, language: str) -> Progress:
    """Every step of the journey as done, current, failed (current, with a failure the customer
    must choose about) or still to come; the choices also in the customer's ``language``."""
    done = journey.steps_done()
    shown = []
    for step in journey.template.steps.order_by("position"):
        if step.pk in done:
            shown.append(StepShown(step, "done", parse_datetime(done[step.pk])))
        elif step.pk == journey.current_step_id:
            failed = journey.state == CaseJourney.State.WAITING
            shown.append(StepShown(step, "failed" if failed else "current"))
        else:
            shown.append(StepShown(step, "pending"))
    choices = []
    if journey.state == CaseJourney.State.WAITING and journey.failure is not None:
        choices = [
            ChoiceShown(english, "" if language == "en" else dutch) for english, dutch in journey.failure.choice_list()
        ]
    chosen = next((item.get("choice", "") for item in reversed(journey.history) if item.get("what") == "chose"), "")
    return Progress(journey, shown, choices=choices, chosen=chosen)


def progress_line(journey: CaseJourney, step_count: int) -> str:
    """The journey in one line, for the cases panel of the customer's picture."""
    if journey.state == CaseJourney.State.DONE:
        return f"Journey done: all {step_count} steps"
    if journey.state == CaseJourney.State.CANCELLED:
        return "Journey cancelled"
    # Steps are done in order, so the current one comes after those done.
    number = min(len(journey.steps_done()) + 1, step_count)
    title = journey.current_step.title if journey.current_step else ""
    where = f"step {number} of {step_count}: {title}"
    if journey.state == CaseJourney.State.WAITING and journey.failure is not None:
        return f"Journey {where} — {journey.failure.title}; waiting for the customer's choice"
    return f"Journey {where}"


def journey_lines(cases: list[Case]) -> dict[int, str]:
    """Case id -> progress line for the journey cases among these; one query, none if there are none."""
    ids = [case.pk for case in cases if case.kind == Case.Kind.JOURNEY]
    if not ids:
        return {}
    journeys = (
        CaseJourney.objects.filter(case_id__in=ids)
        .select_related("template", "current_step", "failure")
        .annotate(step_count=Count("template__steps"))
    )
    return {journey.case_id: progress_line(journey, journey.step_count) for journey in journeys}


def inbound_event_facts(*, inbound_event_id: int) -> dict | None:
    """What journeys need of an applied event: its customer, type, data and timeline entry."""

    inbound = InboundEvent.objects.filter(pk=inbound_event_id).only("customer_id", "type", "body", "response").first()
    if inbound is None or inbound.customer_id is None:
        return None
    return {
        "customer_id": inbound.customer_id,
        "event_type": inbound.type,
        "data": (inbound.body or {}).get("data") or {},
        "entry_id": ((inbound.response or {}).get("timeline_entry") or {}).get("id"),
        "inbound_event_id": inbound.pk,
    }


def _unheard_events():
    """Applied events of a type journeys listen to; the catch-up narrows them to one journey's
    customer, since it started, and not heard by it."""

    return InboundEvent.objects.filter(type__in=listened_event_types())


def journeys_missing_events() -> list[int]:
    """The running or waiting journeys (on open cases) that missed an event: one query, which
    finds none while every follow-up task arrives."""
    heard = HeardEvent.objects.filter(journey_id=OuterRef(OuterRef("pk")), inbound_event_id=OuterRef("pk"))
    missed = _unheard_events().filter(
        ~Exists(heard), customer_id=OuterRef("case__customer_id"), received_at__gte=OuterRef("started_at")
    )
    journeys = CaseJourney.objects.filter(
        Exists(missed), state__in=CaseJourney.ACTIVE_STATES, case__status__in=Case.OPEN_STATUSES
    )
    return list(journeys.order_by("pk").values_list("pk", flat=True))


def events_missed(*, journey_id: int) -> list[int]:
    """The inbound events this journey missed, in the order they were applied."""
    journey = CaseJourney.objects.select_related("case").get(pk=journey_id)
    heard = HeardEvent.objects.filter(journey_id=journey_id).values("inbound_event_id")
    missed = _unheard_events().filter(customer_id=journey.case.customer_id, received_at__gte=journey.started_at)
    return list(missed.exclude(pk__in=heard).order_by("received_at", "pk").values_list("pk", flat=True))
