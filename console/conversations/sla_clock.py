"""A conversation's SLA clocks as it moves between its states (docs/inbox.md, "The clock").

Two clocks, both in business time (sla.py):

- the **answer** clock (``waiting_since``, ``due_at``, ``warn_at``) runs from the message the
  customer waits on until an answer; every new wait starts it afresh;
- the **resolution** clock (``resolution_started_at``, ``resolution_due_at``) runs from opening
  until done, and pauses while the conversation waits on the customer: when they write again the
  business time paused is added to its target. Reopening after done starts a new open period.

These only set fields on the conversation; the caller saves it.
"""

from datetime import datetime

from console.conversations.models import Conversation
from console.conversations.sla import SlaRules, answer_deadlines, resolution_deadline


def clocks_open_period(conversation: Conversation, *, at: datetime) -> None:
    """The conversation opens, or reopens after done: a new resolution clock, which may breach
    once again."""
    conversation.resolution_started_at = at
    conversation.resolution_paused_since = None
    conversation.resolution_paused_seconds = 0
    conversation.resolution_breached_at = None


def clocks_resume(conversation: Conversation, *, at: datetime, rules: SlaRules) -> None:
    """The customer wrote after an answer: the resolution clock runs again, the business time it
    was paused added to its target."""
    if conversation.resolution_paused_since is not None:
        paused = rules.calendar.seconds_between(conversation.resolution_paused_since, at)
        conversation.resolution_paused_seconds += round(paused)
        conversation.resolution_paused_since = None


def clocks_new_wait(conversation: Conversation, *, at: datetime, rules: SlaRules) -> None:
    """The customer starts waiting at ``at``: the answer is due by the target of the conversation's
    priority now, and may warn and breach once again; the resolution due time follows the
    priority too."""
    conversation.waiting_since = at
    conversation.warned_at = conversation.breached_at = None
    conversation.due_at, conversation.warn_at = answer_deadlines(conversation, rules=rules)
    conversation.resolution_due_at = resolution_deadline(conversation, rules=rules)


def clocks_pause(conversation: Conversation, *, at: datetime) -> None:
    """An answer went out: no answer is due, and the resolution clock pauses."""
    conversation.waiting_since = conversation.due_at = conversation.warn_at = None
    if conversation.resolution_paused_since is None:
        conversation.resolution_paused_since = at


def clocks_stop(conversation: Conversation) -> None:
    """Done: nothing is due any more (a resolution breach already told stays on record)."""
    conversation.waiting_since = conversation.due_at = conversation.warn_at = None
    conversation.resolution_due_at = conversation.resolution_paused_since = None
