"""A change of a conversation, written on the customer's timeline (the messages themselves are
there already)."""

from console.conversations.models import Conversation
from console.timeline.models import TimelineEntry
from console.timeline.services import timeline_entry_record


def note(
    conversation: Conversation, summary: str, *, user=None, occurred_at=None, actor_source: str = ""
) -> TimelineEntry:
    return timeline_entry_record(
        customer_id=conversation.customer_id,
        kind=TimelineEntry.Kind.CONVERSATION,
        channel=conversation.channel,
        direction=TimelineEntry.Direction.INTERNAL,
        summary=summary,
        occurred_at=occurred_at,
        actor_user=user,
        actor_source=actor_source,
        case=conversation.case,
    )
