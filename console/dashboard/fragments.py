"""What the dashboard hears: a timeline entry of a kind it lists makes open dashboards fetch
their sections again (through console.live.publish, after commit)."""

from console.live.publish import dashboard_changed
from console.timeline.models import TimelineEntry

# Kinds that change what the managers' dashboard lists (returns, cases, returned mail, bounced
# e-mail, a corrected address) even when no flag changes along with them.
DASHBOARD_KINDS = {
    TimelineEntry.Kind.RETURN,
    TimelineEntry.Kind.CASE,
    TimelineEntry.Kind.MAIL_RETURNED,
    TimelineEntry.Kind.EMAIL_BOUNCED,
    TimelineEntry.Kind.ADDRESS,
}


def entry_recorded(*, entry: TimelineEntry) -> None:
    """The reaction to ``ENTRY_RECORDED`` (console/reactions.py)."""
    if entry.kind in DASHBOARD_KINDS:
        dashboard_changed()
