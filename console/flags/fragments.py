"""What flags push to open consoles (through console.live.publish, after commit): that a
customer's flags changed, and the managers' notices of credit approvals waiting."""

from django.template.loader import render_to_string

from console.flags.selectors import approval_notices
from console.live.groups import customer_group, managers_group
from console.live.publish import dashboard_changed, publish, publish_many


def flags_published(*customer_ids: int) -> None:
    """These customers' flags changed (a recomputation, an override).

    The message is small and unrendered: a console that has the customer open renders its own
    panels on receipt, so the nightly run, which changes thousands of customers nobody is
    looking at, costs a send per customer and no rendering. The dashboard hears once.
    """
    publish_many([customer_group(pk) for pk in customer_ids], {"type": "flags.changed"})
    dashboard_changed()


def approval_notices_message() -> dict:
    """The managers' notices of credit approvals waiting, as they stand after a change.

    The whole notices area is sent (it is small), so a notice appears, changes and goes away
    the same way, and a missed push is made good by the next one.
    """
    html = render_to_string("flags/approvals.html#notices", {"notices": approval_notices(), "oob": True})
    return {"type": "approval.notices", "html": html}


def approval_requested(approval) -> None:
    """A credit approval waits for a manager: every online manager's notices show it."""
    publish(managers_group(), approval_notices_message)
    dashboard_changed()  # it lists the approvals waiting


def approval_decided(approval) -> None:
    """A manager decided: the notice goes away for every manager (and open approval lists refresh)."""
    publish(managers_group(), approval_notices_message)
    dashboard_changed()
