"""A conversation's priority: what the SLA policies give gold customers and complaints
(docs/inbox.md, "Policies and priority").

It is decided when the conversation opens, and decided again at each new wait (the customer
writes after an answer, or reopens it after done) and when a later message links it to a case.
While it is open a new decision never lowers it unless the reason it was given is gone: the
customer is no longer gold, the case is no longer a complaint, or no policy is marked for them
any more. An admin who gives a marked policy a lower priority changes the conversations opened
after it, not the open ones (as with every policy change).
"""

from console.cases.models import Case
from console.conversations.models import PRIORITY_RANK, Conversation, Priority, PriorityReason
from console.conversations.sla import SlaRules
from console.flags.models import Flag


def _is_gold(customer_id: int) -> bool:
    flag = Flag.objects.filter(customer_id=customer_id, kind=Flag.Kind.LOYALTY).first()
    return flag is not None and flag.effective_level == "gold"


def priority_reasons(*, customer_id: int, case_id: int | None, channel: str, rules: SlaRules) -> dict[str, str]:
    """The reasons that apply now, each with the priority the policies give it: linked to a
    complaint case, a customer whose loyalty flag is gold (a manager's override counting)."""
    reasons = {}
    complaint = rules.complaint.get(channel) or rules.complaint.get("")
    if complaint and case_id and Case.objects.filter(pk=case_id, kind=Case.Kind.COMPLAINT).exists():
        reasons[PriorityReason.COMPLAINT.value] = complaint
    gold = rules.gold.get(channel) or rules.gold.get("")
    if gold and _is_gold(customer_id):
        reasons[PriorityReason.GOLD.value] = gold
    return reasons


def _strongest(reasons: dict[str, str]) -> tuple[str, str]:
    """(priority, reason): the highest priority a reason gives; normal for no reason."""
    found = (Priority.NORMAL.value, "")
    for reason, priority in reasons.items():
        if PRIORITY_RANK[priority] > PRIORITY_RANK[found[0]]:
            found = (priority, reason)
    return found


def priority_decide(conversation: Conversation, *, fresh: bool, rules: SlaRules) -> bool:
    """Decide the conversation's priority (and its reason) again; whether it changed. ``fresh``:
    it opens or reopens after done, so nothing it had before counts."""
    reasons = priority_reasons(
        customer_id=conversation.customer_id, case_id=conversation.case_id, channel=conversation.channel, rules=rules
    )
    priority, reason = _strongest(reasons)
    lower = PRIORITY_RANK[priority] < PRIORITY_RANK[conversation.priority]
    if not fresh and lower and conversation.priority_reason in reasons:
        return False  # the reason holds; only the policy gives it less now
    changed = priority != conversation.priority
    conversation.priority, conversation.priority_reason = priority, reason
    return changed
