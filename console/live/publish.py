"""The one road by which changes reach open consoles: after commit, through the channel layer.

Services call ``entry_published`` / ``screen_pop`` / ``flags_published`` inside their
transaction; the message is rendered and sent only when that transaction commits, never
on rollback. Nothing else sends to a channel group.
"""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from console.live import fragments
from console.live.groups import agent_group, customer_group, managers_group, team_group
from console.timeline.models import TimelineEntry

log = logging.getLogger(__name__)

# Kinds that change what the managers' dashboard lists (returns, cases, returned mail, bounced
# e-mail, a corrected address) even when no flag changes along with them.
DASHBOARD_KINDS = {
    TimelineEntry.Kind.RETURN,
    TimelineEntry.Kind.CASE,
    TimelineEntry.Kind.MAIL_RETURNED,
    TimelineEntry.Kind.EMAIL_BOUNCED,
    TimelineEntry.Kind.ADDRESS,
}


def group_send(group: str, build) -> None:
    """Build the message and send it to a group. A failure is logged, never raised: the data
    is committed, the caller has its answer, and consoles catch up by sequence number."""
    try:
        async_to_sync(get_channel_layer().group_send)(group, build())
    except Exception:  # noqa: BLE001 - rendering or the layer's own errors, whatever the backend
        log.exception("live push to %s failed; consoles will catch up by seq", group)


async def _send_many(groups: list[str], message: dict, at_once: int = 200) -> None:
    layer = get_channel_layer()
    for start in range(0, len(groups), at_once):
        await asyncio.gather(*(layer.group_send(g, message) for g in groups[start : start + at_once]))


def groups_send(groups: list[str], message: dict) -> None:
    """One message to many groups (the nightly run's changed customers): sent concurrently from
    one event loop, since one blocking send per group would take milliseconds each."""
    try:
        async_to_sync(_send_many)(groups, message)
    except Exception:  # noqa: BLE001 - the layer's own errors, whatever the backend
        log.exception("live push to %d groups failed; consoles will catch up at their next change", len(groups))


def _after_commit(group: str, build) -> None:
    transaction.on_commit(lambda: group_send(group, build), robust=True)


def entry_published(entry) -> None:
    """A new timeline entry, for everyone viewing its customer."""
    _after_commit(customer_group(entry.customer_id), lambda: fragments.entry_message(entry))
    if entry.kind in DASHBOARD_KINDS:
        dashboard_changed()


def flags_published(*customer_ids: int) -> None:
    """These customers' flags changed (a recomputation, an override).

    The message is small and unrendered: a console that has the customer open renders its own
    panels on receipt, so the nightly run, which changes thousands of customers nobody is
    looking at, costs a send per customer and no rendering. The dashboard hears once.
    """
    groups = [customer_group(pk) for pk in customer_ids]
    transaction.on_commit(lambda: groups_send(groups, {"type": "flags.changed"}), robust=True)
    dashboard_changed()


def panels_changed(customer_id: int) -> None:
    """Something a panel shows changed without a timeline entry (a message went out): consoles
    on this customer render their panels again, as after a flag change."""
    _after_commit(customer_group(customer_id), lambda: {"type": "flags.changed"})


def dashboard_changed() -> None:
    """Something the managers' dashboard shows changed: open dashboards fetch their sections again."""
    _after_commit(managers_group(), lambda: {"type": "dashboard.changed"})


async def presence_changed(*, customer_id: int, sender: str) -> None:
    """Someone arrived, started typing or left: the others on this customer look again.

    Not a change to any record, so nothing to wait for; sent at once from the consumer."""
    await get_channel_layer().group_send(customer_group(customer_id), {"type": "presence.changed", "sender": sender})


def access_changed(user_id: int, *, ended_session: str | None = None) -> None:
    """A user's rights changed (deactivated, a role removed, a password changed) or one of their
    sessions ended (``ended_session``, a log-out): their open consoles check again, and close
    if they no longer hold (console/live/access.py)."""
    _after_commit(agent_group(user_id), lambda: {"type": "access.changed", "ended_session": ended_session})


def customer_reload(customer_id: int) -> None:
    """The customer's timeline was renumbered (a merge): open consoles load the page afresh."""
    _after_commit(customer_group(customer_id), lambda: {"type": "customer.reload"})


def screen_pop(*, user_id: int, customer_id: int, reason: str) -> None:
    """Open this customer's picture on one agent's screen (an incoming call)."""
    _after_commit(agent_group(user_id), lambda: fragments.screen_pop_message(customer_id=customer_id, reason=reason))


def approval_requested(approval) -> None:
    """A credit approval waits for a manager: every online manager's notices show it."""
    _after_commit(managers_group(), fragments.approval_notices_message)
    dashboard_changed()  # it lists the approvals waiting


def approval_decided(approval) -> None:
    """A manager decided: the notice goes away for every manager (and open approval lists refresh)."""
    _after_commit(managers_group(), fragments.approval_notices_message)
    dashboard_changed()


def queue_changed(*teams: str) -> None:
    """A case of these teams was opened or changed (both teams when it moved): every open queue
    page of each team gets the queue as it now stands, rendered once per team."""
    from console.cases.fragments import queue_message

    for team in dict.fromkeys(teams):
        _after_commit(team_group(team), lambda team=team: queue_message(team))


def mention_notified(*, user_id: int, case_id: int, by: str, excerpt: str) -> None:
    """A colleague named this agent (@username) in a case note: a notice on every page they have open."""
    from console.cases.fragments import mention_notice_message

    _after_commit(agent_group(user_id), lambda: mention_notice_message(case_id=case_id, by=by, excerpt=excerpt))


def complaint_escalated(*, case_id: int) -> None:
    """A complaint passed its deadline: a notice for every online manager. (The escalation's
    timeline entry, of kind case, already tells the dashboards to look again.)"""
    from console.cases.fragments import escalation_notice_message

    _after_commit(managers_group(), lambda: escalation_notice_message(case_id=case_id))
