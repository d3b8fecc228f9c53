"""When a conversation's next answer is due.

For now on the wall clock: the first answer within ``INBOX_FIRST_RESPONSE_MINUTES`` of the
customer's message, every next one within ``INBOX_NEXT_RESPONSE_MINUTES`` (settings)."""

from datetime import timedelta

from django.conf import settings


def due_at_for(conversation):
    """The moment the next answer is due, or None when the customer is not waiting."""
    if conversation.waiting_since is None or conversation.status != "awaiting_reply":
        return None
    first = conversation.first_response_at is None
    minutes = settings.INBOX_FIRST_RESPONSE_MINUTES if first else settings.INBOX_NEXT_RESPONSE_MINUTES
    return conversation.waiting_since + timedelta(minutes=minutes)
