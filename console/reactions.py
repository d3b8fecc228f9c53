"""After-commit reactions: the one way a change reaches an app above the app that made it.

Apps import only the apps below them (docs/architecture.md, enforced by the import contracts
in pyproject.toml). A few changes must still be heard higher up: an invoice changes the
customer's flags, a timeline entry reaches the open consoles and the managers' dashboard, an
applied event moves the customer's journeys on, a changed case reaches the team queues. The app
that made the change says here what happened (``happened``); the apps that react register in
their ``AppConfig.ready`` (``hear``).

A reaction runs once the transaction that made the change commits, never on rollback, and on
its own: one that fails is logged (Django's ``on_commit(robust=True)``) and the others still
run, and the change stays committed. What a reaction must not lose is its own business: the
flags' reaction starts a task the nightly run makes good, the journeys' one a task the
catch-up job replays, the consoles' and queues' ones a push that pages catch up on (by sequence number, or
at their next change or reconnect).

- ``CUSTOMER_CHANGED`` (``customer_id``, ``because``): said by customers, commerce, cases and
  messaging; heard by flags, which recomputes the customer's flags.
- ``ENTRY_RECORDED`` (``entry``, the committed ``TimelineEntry``): said by timeline; heard by
  picture, which pushes it to the open consoles, and dashboard, which refreshes open dashboards.
- ``EVENT_APPLIED`` (``event_type``, ``inbound_event_id``): said by ingest; heard by journeys,
  whose journeys on the customer's cases hear the event.
- ``CASE_CHANGED`` (``teams``, the case's team, or both when it moved): said by cases; heard by
  queues, which pushes each team's queue as it now stands to its open queue pages.
- ``CUSTOMER_RESTRICTED`` (``customer_id``): who may see a customer changed (restricted to a
  group, or no longer); said by customers; heard by conversations, whose open inboxes show or drop
  the customer's rows, and queues, which pushes every team's queue again.

Something that must happen in the same transaction as the change (returned mail opening a
data-quality case) is not a reaction: the service of the app that knows both does it.
"""

from collections.abc import Callable
from functools import partial

from django.db import transaction

CUSTOMER_CHANGED = "customer_changed"
ENTRY_RECORDED = "entry_recorded"
EVENT_APPLIED = "event_applied"
CASE_CHANGED = "case_changed"
CUSTOMER_RESTRICTED = "customer_restricted"
KNOWN = (CUSTOMER_CHANGED, ENTRY_RECORDED, EVENT_APPLIED, CASE_CHANGED, CUSTOMER_RESTRICTED)

_heard_by: dict[str, list[Callable]] = {what: [] for what in KNOWN}


def hear(what: str, reaction: Callable) -> None:
    """Run ``reaction(**details)`` after every commit that ``happened(what, ...)``. Called from an
    app's ``AppConfig.ready``; registering the same reaction twice registers it once."""
    reactions = _heard_by[_known(what)]
    if reaction not in reactions:
        reactions.append(reaction)


def happened(what: str, **details) -> None:
    """Say, inside the transaction that made it, that this happened: every reaction to it runs
    once that transaction commits."""
    for reaction in _heard_by[_known(what)]:
        transaction.on_commit(partial(reaction, **details), robust=True)


def _known(what: str) -> str:
    if what not in _heard_by:
        raise ValueError(f"Unknown reaction '{what}'; known: {', '.join(KNOWN)}.")
    return what
