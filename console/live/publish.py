"""The one road by which changes reach open consoles: after commit, through the channel layer.

Services call ``entry_published`` / ``screen_pop`` / ``flags_published`` inside their
transaction; the message is rendered and sent only when that transaction commits, never
on rollback. Nothing else sends to a channel group.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from console.live import fragments
from console.live.groups import agent_group, customer_group

log = logging.getLogger(__name__)


def group_send(group: str, build) -> None:
    """Build the message and send it to a group. A failure is logged, never raised: the data
    is committed, the caller has its answer, and consoles catch up by sequence number."""
    try:
        async_to_sync(get_channel_layer().group_send)(group, build())
    except Exception:  # noqa: BLE001 - rendering or the layer's own errors, whatever the backend
        log.exception("live push to %s failed; consoles will catch up by seq", group)


def _after_commit(group: str, build) -> None:
    transaction.on_commit(lambda: group_send(group, build), robust=True)


def entry_published(entry) -> None:
    """A new timeline entry, for everyone viewing its customer."""
    _after_commit(customer_group(entry.customer_id), lambda: fragments.entry_message(entry))


def flags_published(customer_id: int) -> None:
    """The customer's flags and panels changed (a recomputation, a new order)."""
    _after_commit(customer_group(customer_id), lambda: fragments.panels_message(customer_id))


async def presence_changed(*, customer_id: int, sender: str) -> None:
    """Someone arrived, started typing or left: the others on this customer look again.

    Not a change to any record, so nothing to wait for; sent at once from the consumer."""
    await get_channel_layer().group_send(customer_group(customer_id), {"type": "presence.changed", "sender": sender})


def customer_reload(customer_id: int) -> None:
    """The customer's timeline was renumbered (a merge): open consoles load the page afresh."""
    _after_commit(customer_group(customer_id), lambda: {"type": "customer.reload"})


def screen_pop(*, user_id: int, customer_id: int, reason: str) -> None:
    """Open this customer's picture on one agent's screen (an incoming call)."""
    _after_commit(agent_group(user_id), lambda: fragments.screen_pop_message(customer_id=customer_id, reason=reason))
