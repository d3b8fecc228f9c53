"""The beat job that keeps promised callbacks from being missed: a callback whose window is
about to pass is moved to the next window and the customer texted, or, moved too often, its
case escalated (story S5)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from console.callbacks.models import Callback
from console.callbacks.services import (
    BEAT_SOURCE,
    customer_text,
    due_follows,
    missed_step,
    moved_note,
    next_step_for,
)
from console.callbacks.windows import moved_window
from console.cases.models import Case
from console.cases.services import KEEP, case_locked, case_update
from console.customers.identifiers import format_phone


def callbacks_warn_about_to_be_missed(*, now: datetime | None = None) -> int:
    """Move every promised callback whose window ends within CALLBACK_WARN_LEAD_MINUTES to a
    new window and text the customer the new time; how many were moved.

    Run by the beat job every minute. Each callback is moved in its own transaction by a
    conditional UPDATE on the window it had, so two runs at once (or one run twice) move it
    and text the customer exactly once. A callback the job already moved
    ``CALLBACK_MAX_MOVES`` times is not moved (nor the customer texted) again: its case is
    escalated once instead (``callback_escalate``).
    """
    now = now or timezone.now()
    lead = timedelta(minutes=settings.CALLBACK_WARN_LEAD_MINUTES)
    due = Callback.objects.filter(
        status=Callback.Status.PROMISED,
        window_end__lte=now + lead,
        escalated_at__isnull=True,
        case__status__in=Case.OPEN_STATUSES,
    ).values_list("pk", "window_start", "window_end", "auto_moves")
    moved = 0
    for pk, start, end, auto_moves in list(due):
        if auto_moves >= settings.CALLBACK_MAX_MOVES:
            callback_escalate(callback_id=pk, old_end=end, now=now)
        else:
            moved += callback_move_before_missed(callback_id=pk, old_start=start, old_end=end, now=now)
    return moved


@transaction.atomic
def callback_move_before_missed(*, callback_id: int, old_start: datetime, old_end: datetime, now: datetime) -> bool:
    """Move one callback about to be missed; False when it was made or moved meanwhile."""
    start, end = moved_window(start=old_start, end=old_end, now=now)
    taken = Callback.objects.filter(
        pk=callback_id,
        status=Callback.Status.PROMISED,
        window_end=old_end,
        escalated_at__isnull=True,
        auto_moves__lt=settings.CALLBACK_MAX_MOVES,
    ).update(
        window_start=start,
        window_end=end,
        moved_count=F("moved_count") + 1,
        auto_moves=F("auto_moves") + 1,
        moved_at=now,
    )
    if not taken:
        return False
    callback = Callback.objects.select_related("customer").get(pk=callback_id)
    case = case_locked(callback.case_id)
    key = f"callback:{callback.pk}:warned:{old_end.isoformat()}"
    message = customer_text(callback, template_key="callback_new_time", key=key)
    case_update(
        case_id=case.pk,
        actor_source=BEAT_SOURCE,
        due_at=due_follows(case, old_end=old_end, new_end=end),
        next_step=next_step_for(callback.phone, start, end) + moved_note(message),
    )
    return True


@transaction.atomic
def callback_escalate(*, callback_id: int, old_end: datetime, now: datetime) -> bool:
    """A callback the beat job moved ``CALLBACK_MAX_MOVES`` times is about to be missed again:
    it stays where it is, the customer is not texted again, and the case becomes overdue with a
    next step that sends it to a person (once; False when made, moved or escalated meanwhile)."""
    taken = Callback.objects.filter(
        pk=callback_id, status=Callback.Status.PROMISED, window_end=old_end, escalated_at__isnull=True
    ).update(escalated_at=now)
    if not taken:
        return False
    callback = Callback.objects.get(pk=callback_id)
    case = case_locked(callback.case_id)
    case_update(
        case_id=case.pk,
        actor_source=BEAT_SOURCE,
        # Overdue now, unless it was due even earlier (a complaint's deadline).
        due_at=now if case.due_at is None or case.due_at > now else KEEP,
        next_step=f"{missed_step(callback.auto_moves)} ({format_phone(callback.phone)})",
    )
    return True
