"""Telephony: a call starting and ending, as the phone system reports them.

A call that rings for a known agent also opens the customer's picture on that agent's screen
(the screen pop, sent after commit)."""

from datetime import datetime

from console.accounts.selectors import active_user_named
from console.customers.fragments import screen_pop
from console.timeline.models import TimelineEntry
from console.timeline.services import timeline_entry_record


def call_start_record(
    *,
    customer_id: int,
    from_number: str,
    agent: str | None = None,
    extension: str = "",
    occurred_at: datetime,
    source: str,
    raw: dict,
) -> TimelineEntry:
    user = active_user_named(agent)
    to = (
        f" for {user.get_full_name() or user.username}" if user else (f" on extension {extension}" if extension else "")
    )
    entry = timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.CALL,
        channel="phone",
        summary=f"Incoming call{to}",
        occurred_at=occurred_at,
        actor_user=user,
        actor_source=source,
        raw=raw,
    )
    if user is not None:
        screen_pop(user_id=user.pk, customer_id=customer_id, reason=f"Incoming call from {from_number}")
    return entry


def call_end_record(
    *, customer_id: int, call_id: str, duration_s: int, outcome: str = "", occurred_at: datetime, source: str, raw: dict
) -> TimelineEntry:
    """The call's end, on the agent who took it (from the call's start, found by ``call_id``)."""
    minutes, seconds = divmod(duration_s, 60)
    said = f": {outcome}" if outcome else ""
    started = (
        TimelineEntry.objects.filter(customer_id=customer_id, kind=TimelineEntry.Kind.CALL, raw__data__call_id=call_id)
        .select_related("actor_user")
        .order_by("seq")
        .first()
    )
    return timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.CALL,
        channel="phone",
        summary=f"Call ended after {minutes}:{seconds:02d}{said}",
        occurred_at=occurred_at,
        actor_user=started.actor_user if started else None,
        actor_source=source,
        raw=raw,
    )
