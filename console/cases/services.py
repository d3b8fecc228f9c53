from datetime import datetime

from django.db import transaction
from django.utils import timezone

from console.cases.models import Case
from console.timeline.models import TimelineEntry
from console.timeline.services import timeline_entry_record


@transaction.atomic
def case_open(
    *,
    customer_id: int,
    title: str,
    kind: str = Case.Kind.QUESTION,
    team: str = "phone",
    owner=None,
    due_at: datetime | None = None,
    next_step: str = "",
    channel: str = "system",
    actor_user=None,
    actor_source: str = "",
    occurred_at: datetime | None = None,
) -> Case:
    """Open a case; ``occurred_at`` is when it was opened, if not now (a source reporting late)."""
    case = Case.objects.create(
        customer_id=customer_id,
        title=title,
        kind=kind,
        team=team,
        owner=owner,
        due_at=due_at,
        next_step=next_step,
        created_at=occurred_at or timezone.now(),
    )
    timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.CASE,
        channel=channel,
        direction=TimelineEntry.Direction.INTERNAL,
        summary=f"{case.get_kind_display()} opened: {title}",
        actor_user=actor_user,
        actor_source=actor_source,
        case=case,
        occurred_at=case.created_at,
    )
    return case
