"""Open inboxes follow a customer's restriction (docs/privacy.md): restricted to a group, the
customer's open conversations leave the lists of everyone outside it; no longer restricted, they
come back. The reaction to ``CUSTOMER_RESTRICTED`` (console/reactions.py)."""

from django.utils import timezone

from console.conversations import fragments
from console.conversations.models import Conversation


def customer_restricted(*, customer_id: int) -> None:
    """Each open conversation of the customer gets a newer version (so every page takes the push
    over the row it has), then its row goes to whoever may see it now, and a "not in your lists"
    to everyone else."""
    conversations = Conversation.objects.filter(customer_id=customer_id, status__in=Conversation.OPEN_STATUSES)
    conversations.update(updated_at=timezone.now())
    for conversation in conversations:
        fragments.inbox_changed(conversation)
        fragments.row_withdrawn(conversation)
