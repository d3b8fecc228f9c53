"""Conversations open, move on and close here, and nowhere else (docs/inbox.md).

- ``conversation_hear``: a contact the customer made (inbound, and a rule says it expects an
  answer) opens a conversation or joins the one of its thread or case, and reopens it if it was
  answered or done, links it to a case a later message names, decides its priority again at a
  new wait or link (priority.py) and moves its SLA clocks on (sla_clock.py); an answer given
  outside Klantbeeld (a public reply a source system reports) moves it on. Called by the event
  API in the event's own transaction, so no message that expects an answer can be committed
  without its conversation.
- ``entry_recorded``: the reaction to ``ENTRY_RECORDED`` (console/reactions.py): a message an
  agent sent the customer through ``messaging.message_to_customer`` (from the picture, a
  callback, a journey) answers the conversation waiting on that channel. After commit, so a
  crash in between leaves the conversation awaiting a reply: on the safe side.
- ``conversation_take``, ``conversation_hand_over``, ``conversation_done``, ``conversation_reply``:
  the agents' actions. Taking is a conditional update: of many agents taking one conversation at
  once exactly one wins, the others learn who did.

Every change but a new message is written on the customer's timeline (the message itself is
already there) and told, after commit, to the inboxes that show it (fragments.py).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from console.accounts.roles import Capability, require
from console.accounts.selectors import display_name
from console.cases.models import Case
from console.conversations import fragments
from console.conversations.answer_rules import answer_rule_for
from console.conversations.assignment import auto_assign
from console.conversations.models import PRIORITY_RANK, Conversation
from console.conversations.notes import note
from console.conversations.priority import priority_decide
from console.conversations.sla import SlaRules, business_seconds, sla_rules
from console.conversations.sla_clock import (
    clocks_new_wait,
    clocks_open_period,
    clocks_pause,
    clocks_resume,
    clocks_stop,
)
from console.customers.models import Customer
from console.customers.selectors import may_see
from console.messaging.models import OutboundMessage
from console.messaging.services import message_to_customer
from console.timeline.models import TimelineEntry

AGENT_TEMPLATE = "agent_message"


class Taken(Exception):
    """Someone else took the conversation first."""

    def __init__(self, conversation: Conversation):
        by = conversation.assignee
        super().__init__(f"{by.get_full_name() or by.username} took it first." if by else "It was taken first.")
        self.conversation = conversation


def _thread_of(entry: TimelineEntry) -> str:
    """The channel's thread the source system named (``data.thread``), if any."""
    data = (entry.raw or {}).get("data") if isinstance(entry.raw, dict) else None
    thread = data.get("thread") if isinstance(data, dict) else None
    return str(thread)[:200] if thread else ""


def _conversation_of(entry: TimelineEntry, thread: str) -> Conversation | None:
    """The conversation this contact belongs to: the open one of the case it is linked to, else
    the latest one of its thread (open, or answered or done, to be reopened)."""
    found = Conversation.objects.select_for_update()
    if entry.case_id:
        linked = found.filter(case_id=entry.case_id, status__in=Conversation.OPEN_STATUSES).order_by("-pk").first()
        if linked is not None:
            return linked
    return (
        found.filter(customer_id=entry.customer_id, channel=entry.channel, thread=thread)
        .order_by("-opened_at", "-pk")
        .first()
    )


@transaction.atomic
def conversation_hear(*, entry: TimelineEntry) -> Conversation | None:
    """The conversation an entry the event API wrote opens, joins, reopens or answers (None: the
    entry is neither a contact that expects an answer nor an answer to one)."""
    if entry.direction == TimelineEntry.Direction.OUTBOUND:
        # An answer a source system reports counts when an agent gave it (a webcare agent's
        # public reply); an automatic reply ("we received your e-mail") answers nothing.
        return _answered_by(entry) if entry.actor_user_id else None
    if entry.direction != TimelineEntry.Direction.INBOUND:
        return None
    rule = answer_rule_for(entry)
    if rule is None:
        return None
    thread = _thread_of(entry)
    conversation = _conversation_of(entry, thread)
    at = entry.occurred_at
    fresh = conversation is None or conversation.status == Conversation.Status.DONE
    if conversation is None:
        conversation = Conversation(
            customer_id=entry.customer_id,
            channel=entry.channel,
            thread=thread,
            case_id=entry.case_id,
            team=rule.team,
            opened_at=at,
        )
    elif conversation.status != Conversation.Status.AWAITING_REPLY:
        note(conversation, f"{conversation.get_channel_display()} conversation reopened: the customer wrote again")
        conversation.done_at = conversation.done_by = None
        conversation.done_reason = ""
    _customer_spoke(conversation, entry, fresh=fresh, rules=sla_rules())
    conversation.last_words = (entry.summary or entry.body or "")[:300]
    conversation.save()
    auto_assign(conversation)
    fragments.inbox_changed(conversation)
    return conversation


def _customer_spoke(conversation: Conversation, entry: TimelineEntry, *, fresh: bool, rules: SlaRules) -> None:
    """The conversation awaits a reply to this message: linked to the case it names, its priority
    decided again at a new wait or link, its SLA clocks moved on (``fresh``: it opens, or reopens
    after done)."""
    at = entry.occurred_at
    new_wait = conversation.status != Conversation.Status.AWAITING_REPLY or conversation.waiting_since is None
    linked = _case_link(conversation, entry)
    if fresh or new_wait or linked:
        _priority_decide(conversation, fresh=fresh, rules=rules)
    if fresh:
        clocks_open_period(conversation, at=at)
    else:
        clocks_resume(conversation, at=at, rules=rules)
    conversation.status = Conversation.Status.AWAITING_REPLY
    if new_wait:
        # The answer's clock starts at this message, by the priority decided now.
        clocks_new_wait(conversation, at=at, rules=rules)


def _case_link(conversation: Conversation, entry: TimelineEntry) -> bool:
    """A later message names a case (``case_ref``) for a conversation linked to none: it is that
    case's conversation from now on. Whether it was linked now."""
    if conversation.pk is None or conversation.case_id is not None or entry.case_id is None:
        return False
    conversation.case_id = entry.case_id
    reference = Case.reference_for(entry.case_id)
    note(conversation, f"{conversation.get_channel_display()} conversation linked to case {reference}")
    return True


def _priority_decide(conversation: Conversation, *, fresh: bool, rules: SlaRules) -> None:
    """Decide the priority again (priority.py); a change of an existing conversation's priority
    is written on the timeline."""
    before = conversation.priority
    if not priority_decide(conversation, fresh=fresh, rules=rules) or conversation.pk is None:
        return
    how = "raised" if PRIORITY_RANK[conversation.priority] > PRIORITY_RANK[before] else "lowered"
    why = f" ({conversation.get_priority_reason_display().lower()})" if conversation.priority_reason else ""
    channel = conversation.get_channel_display()
    note(conversation, f"{channel} conversation's priority {how} to {conversation.get_priority_display().lower()}{why}")


def _answered(conversation: Conversation, *, at) -> None:
    """An answer went out: the customer is no longer waiting."""
    if conversation.first_response_at is None:
        conversation.first_response_at = at
        conversation.first_response_in_time = conversation.due_at is None or at <= conversation.due_at
        conversation.first_response_seconds = round(business_seconds(conversation.opened_at, at))
    conversation.status = Conversation.Status.WAITING_ON_CUSTOMER
    clocks_pause(conversation, at=at)
    conversation.save()
    fragments.inbox_changed(conversation)


def _answered_by(entry: TimelineEntry) -> Conversation | None:
    """The conversation awaiting a reply on the entry's channel (its thread, if named; else the
    one the customer wrote in last) that this outgoing entry answers."""
    awaiting = Conversation.objects.select_for_update().filter(
        customer_id=entry.customer_id, channel=entry.channel, status=Conversation.Status.AWAITING_REPLY
    )
    thread = _thread_of(entry)
    if thread:
        awaiting = awaiting.filter(thread=thread)
    conversation = awaiting.order_by("-waiting_since", "-pk").first()
    if conversation is not None:
        _answered(conversation, at=entry.occurred_at)
    return conversation


def _agent_answer(entry: TimelineEntry) -> bool:
    """A message an agent sent (not one a job sent by itself, like a callback's new time) that
    did not fail at once (no address for the channel: the customer got nothing)."""
    return (
        entry.kind == TimelineEntry.Kind.MESSAGE
        and entry.direction == TimelineEntry.Direction.OUTBOUND
        and entry.actor_user_id is not None
        and (entry.raw or {}).get("status") != OutboundMessage.Status.FAILED
    )


def entry_recorded(*, entry: TimelineEntry) -> None:
    """The reaction to ``ENTRY_RECORDED``: a message an agent sent answers the conversation
    waiting on its channel. Idempotent: an answered conversation is not waiting any more."""
    if not _agent_answer(entry):
        return
    with transaction.atomic():
        # The customer row first, the lock order every writer keeps.
        Customer.objects.select_for_update().only("pk").get(pk=entry.customer_id)
        _answered_by(entry)


def _locked(conversation_id: int) -> Conversation:
    return Conversation.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=conversation_id)


@transaction.atomic
def conversation_take(*, conversation_id: int, user) -> Conversation:
    """Take an open conversation nobody has: one UPDATE with the condition, so of many agents at
    once exactly one wins; the others get ``Taken`` saying who."""
    require(user, Capability.RECORD_INTERACTIONS)
    won = Conversation.objects.filter(
        Q(pk=conversation_id), Q(assignee__isnull=True), Q(status__in=Conversation.OPEN_STATUSES)
    ).update(assignee=user, updated_at=timezone.now())
    conversation = Conversation.objects.select_related("assignee").get(pk=conversation_id)
    if not won:
        if conversation.assignee_id == user.pk:
            return conversation
        if conversation.assignee_id is None:
            raise ValidationError("This conversation is done; it cannot be taken.")
        raise Taken(conversation)
    note(conversation, f"{display_name(user)} took the {conversation.get_channel_display()} conversation", user=user)
    fragments.inbox_changed(conversation)
    return conversation


@transaction.atomic
def conversation_hand_over(*, conversation_id: int, user, to=None, team: str | None = None) -> Conversation:
    """Give the conversation to a colleague (``to``) or back to a team's unassigned list."""
    require(user, Capability.RECORD_INTERACTIONS)
    conversation = _locked(conversation_id)
    before_team, before_assignee = conversation.team, conversation.assignee_id
    if to is not None and not may_see(to, conversation.customer):
        raise ValidationError(
            f"{display_name(to)} may not see this customer (restricted); choose a member of its group."
        )
    if team:
        conversation.team = team
    conversation.assignee = to
    conversation.save()
    whom = display_name(to) if to is not None else f"the {conversation.get_team_display()} team"
    note(
        conversation,
        f"{display_name(user)} handed the {conversation.get_channel_display()} conversation to {whom}",
        user=user,
    )
    fragments.inbox_changed(conversation, also_team=before_team, also_user=before_assignee)
    return conversation


@transaction.atomic
def conversation_done(*, conversation_id: int, user, reason: str = "") -> Conversation:
    """Close the conversation. One still awaiting a reply is closed as "no reply needed", which
    takes a reason."""
    require(user, Capability.RECORD_INTERACTIONS)
    conversation = _locked(conversation_id)
    if conversation.status == Conversation.Status.DONE:
        return conversation
    reason = reason.strip()
    if conversation.status == Conversation.Status.AWAITING_REPLY and not reason:
        raise ValidationError("The customer is still waiting for a reply: say why none is needed.")
    conversation.status = Conversation.Status.DONE
    conversation.done_at, conversation.done_by, conversation.done_reason = timezone.now(), user, reason[:200]
    clocks_stop(conversation)
    conversation.save()
    why = f": no reply needed ({reason})" if reason else ""
    note(
        conversation,
        f"{display_name(user)} closed the {conversation.get_channel_display()} conversation{why}",
        user=user,
    )
    fragments.inbox_changed(conversation)
    return conversation


@transaction.atomic
def conversation_reply(*, conversation_id: int, user, text: str):
    """The agent's reply on the conversation's channel (``message_to_customer``); the
    conversation now waits on the customer, and the reply is its first response if it is."""
    require(user, Capability.SEND_MESSAGES)
    conversation = _locked(conversation_id)
    if not text.strip():
        raise ValidationError("Write the reply first.")
    message, _created = message_to_customer(
        customer_id=conversation.customer_id,
        template_key=AGENT_TEMPLATE,
        channel=conversation.channel,
        context={"text": text.strip(), "subject": ""},
        case=conversation.case,
        actor_user=user,
    )
    if message.status == OutboundMessage.Status.FAILED:
        # Nothing reached the customer (the reason is on the message): still awaiting a reply.
        raise ValidationError(message.error or "The reply could not be sent.")
    if conversation.assignee_id is None:
        conversation.assignee = user
    if conversation.status == Conversation.Status.AWAITING_REPLY:
        _answered(conversation, at=timezone.now())
    else:
        conversation.save()
        fragments.inbox_changed(conversation)
    return conversation, message


def conversations_merge(*, survivor_id: int, merged_id: int) -> int:
    """A merge of two customer records (picture/merge.py, in its transaction): the merged
    record's conversations go to the survivor. One that would be a second open conversation on
    the same thread is closed first, its messages being the survivor's thread's too. How many
    moved."""
    survivor_open = set(
        Conversation.objects.filter(customer_id=survivor_id, status__in=Conversation.OPEN_STATUSES).values_list(
            "channel", "thread"
        )
    )
    for conversation in Conversation.objects.filter(customer_id=merged_id, status__in=Conversation.OPEN_STATUSES):
        if (conversation.channel, conversation.thread) in survivor_open:
            conversation.status = Conversation.Status.DONE
            conversation.done_at = timezone.now()
            conversation.done_reason = "records merged: the same thread goes on in the other conversation"
            clocks_stop(conversation)
            conversation.save()
    return Conversation.objects.filter(customer_id=merged_id).update(customer_id=survivor_id, updated_at=timezone.now())
