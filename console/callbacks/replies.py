"""A contact a source system reports (a tweet, a chat, an SMS, a call summary): on the case it
names, and a text from the customer without a case number on the case of their callback (S5:
the customer answers the "new time" text)."""

import re
from datetime import datetime

from console.accounts.selectors import active_user_named
from console.callbacks.selectors import open_callback_case_for_reply
from console.cases.models import Case
from console.rejected import Rejected
from console.timeline.models import TimelineEntry
from console.timeline.services import timeline_entry_record

CASE_REF = re.compile(r"(?:K-)?0*(\d{1,12})", re.ASCII | re.IGNORECASE)


def _case(customer_id: int, case_ref: str | None) -> Case | None:
    if not case_ref:
        return None
    match = CASE_REF.fullmatch(case_ref.strip())
    case = Case.objects.filter(pk=int(match[1]), customer_id=customer_id).first() if match else None
    if case is None:
        raise Rejected("data.case_ref", f"This customer has no case {case_ref}.")
    return case


def interaction_report(
    *,
    customer_id: int,
    channel: str,
    direction: str,
    summary: str,
    body: str = "",
    case_ref: str | None = None,
    agent: str | None = None,
    occurred_at: datetime,
    source: str,
    raw: dict,
) -> TimelineEntry:
    case = _case(customer_id, case_ref)
    if case is None and channel == "sms" and direction == "inbound":
        case = open_callback_case_for_reply(customer_id)
    actor = active_user_named(agent)
    return timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.INTERACTION,
        channel=channel,
        direction=direction,
        summary=summary,
        body=body,
        occurred_at=occurred_at,
        actor_user=actor,
        actor_source=source,
        case=case,
        raw=raw,
    )
