"""The one road by which changes reach open consoles: after commit, through the channel layer.

Live knows no domain app. Each app renders its own pushes (its ``fragments.py``) and hands
them to ``publish``, inside the transaction that made the change; the message is built and
sent only when that transaction commits, never on rollback. Besides ``publish`` this module
has only messages that carry no domain data (reload, panels stale, dashboard stale, rights
changed, presence). Nothing else sends to a channel group.
"""

import asyncio
import logging
from contextlib import contextmanager
from contextvars import ContextVar

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from console.live.groups import agent_group, customer_group, managers_group

log = logging.getLogger(__name__)
_quiet = ContextVar("live_quiet", default=False)


@contextmanager
def quiet():
    """Push nothing while this lasts: for loading data nobody is looking at yet. ``seed_demo``
    writes thousands of entries about customers no console has open, and rendering a push for
    each took four fifths of its time; consoles opened afterwards load what is there, and open
    lists catch up at their next change."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


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


def publish(group: str, build) -> None:
    """Send ``build()`` to the group once the current transaction commits (at once outside one).
    ``build`` renders the message then, from the committed records, once for all the group's
    consoles."""
    if not _quiet.get():
        transaction.on_commit(lambda: group_send(group, build), robust=True)


def publish_to(groups, build) -> None:
    """``build()`` once, when the current transaction commits, sent to every group at once (an
    inbox change: its team, its owner, the managers); one render and one round of sends however
    many groups hear it. ``groups`` is a list, or a function that returns it when the transaction
    has committed (who may hear a push about a restricted customer is read then)."""
    if not _quiet.get():
        transaction.on_commit(lambda: _build_and_send(groups, build), robust=True)


def _build_and_send(groups, build) -> None:
    try:
        groups = groups() if callable(groups) else groups
        message = build() if groups else None
    except Exception:  # noqa: BLE001 - as group_send: logged, consoles catch up at their next change
        log.exception("live push to %s failed to build", groups if isinstance(groups, list) else "its groups")
        return
    if groups:
        groups_send(groups, message)


def publish_many(groups: list[str], message: dict) -> None:
    """One message, already built, to many groups once the current transaction commits."""
    if not _quiet.get():
        transaction.on_commit(lambda: groups_send(groups, message), robust=True)


def panels_changed(customer_id: int) -> None:
    """Something a panel shows changed without a timeline entry (a message went out): consoles
    on this customer render their panels again, as after a flag change."""
    publish(customer_group(customer_id), lambda: {"type": "flags.changed"})


def dashboard_changed() -> None:
    """Something the managers' dashboard shows changed: open dashboards fetch their sections again."""
    publish(managers_group(), lambda: {"type": "dashboard.changed"})


async def presence_changed(*, customer_id: int, sender: str) -> None:
    """Someone arrived, started typing or left: the others on this customer look again.

    Not a change to any record, so nothing to wait for; sent at once from the consumer."""
    await get_channel_layer().group_send(customer_group(customer_id), {"type": "presence.changed", "sender": sender})


def access_changed(user_id: int, *, ended_session: str | None = None) -> None:
    """A user's rights changed (deactivated, a role removed, a password changed) or one of their
    sessions ended (``ended_session``, a log-out): their open consoles check again, and close
    if they no longer hold (console/live/access.py)."""
    publish(agent_group(user_id), lambda: {"type": "access.changed", "ended_session": ended_session})


def customer_access_changed(customer_id: int) -> None:
    """Who may see this customer changed (restricted to a group, or no longer): its open consoles
    look again whether their user still may, and close if not (console/live/access.py)."""
    publish(customer_group(customer_id), lambda: {"type": "access.changed", "ended_session": None})


def customer_reload(customer_id: int) -> None:
    """The customer's timeline was renumbered (a merge): open consoles load the page afresh."""
    publish(customer_group(customer_id), lambda: {"type": "customer.reload"})
