from celery import shared_task

from console.journeys import services
from console.journeys.selectors import inbound_event_facts, listened_event_types


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def journeys_on_event_task(inbound_event_id: int) -> None:
    """Let the customer's journeys hear an applied event. Idempotent: a journey remembers the
    events it heard."""

    facts = inbound_event_facts(inbound_event_id=inbound_event_id)
    if facts is not None:
        services.journeys_on_event(**facts)


@shared_task(acks_late=True, ignore_result=True)
def journeys_catch_up_task() -> str:
    """Celery beat "journeys-catch-up": journeys hear the events whose task was lost."""

    return f"{services.journeys_catch_up()} missed events heard"


def event_applied(*, event_type: str, inbound_event_id: int) -> None:
    """The reaction to ``EVENT_APPLIED`` (console/reactions.py), after commit: if any active
    journey template listens to this event type (a cache read, no query), the customer's
    journeys hear the event in a worker. A broker that is down must not turn the applied event
    into an error answer: the periodic journeys_catch_up_task lets the journeys hear it later."""
    if event_type in listened_event_types():
        journeys_on_event_task.delay(inbound_event_id)
