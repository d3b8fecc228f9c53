"""Automatic assignment, for the teams whose inbox has it switched on (``InboxTeam``).

A conversation that opens or reopens without an owner goes to the team's agent who is online
(a console open, console/live/online.py, seen within ``INBOX_ONLINE_SECONDS``), under their
capacity, and least loaded (fewest open conversations); a tie goes to whoever was given one
longest ago. The new owner hears it at once (a notice on their pages, and their inbox counts).
An agent offline longer than ``INBOX_OFFLINE_MINUTES`` gives their open conversations back:
``offline_give_back`` (a beat job) hands each to a colleague online, or to the team's list.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from console.accounts.selectors import display_name
from console.conversations import fragments
from console.conversations.models import Conversation, InboxTeam
from console.conversations.notes import note
from console.customers.selectors import users_who_may_see
from console.live.online import last_seen


def _team_settings(team: str) -> InboxTeam | None:
    return InboxTeam.objects.filter(team=team, auto_assign=True).first()


def agent_for(conversation: Conversation, *, leaving=None):
    """The team's agent to give this conversation to, or None (nobody online with room)."""
    team = _team_settings(conversation.team)
    if team is None:
        return None
    members = get_user_model().objects.filter(groups__name=conversation.team, is_active=True)
    # Never to an agent for whom the customer does not exist (a restricted customer).
    members = members.filter(users_who_may_see(conversation.customer_id))
    if leaving is not None:
        members = members.exclude(pk=leaving)
    seen = last_seen(members.values_list("pk", flat=True))
    now = time.time()
    online = [pk for pk, at in seen.items() if now - at <= settings.INBOX_ONLINE_SECONDS]
    if not online:
        return None
    loads = (
        get_user_model()
        .objects.filter(pk__in=online)
        .annotate(
            load=Count("conversations", filter=Q(conversations__status__in=Conversation.OPEN_STATUSES)),
            last_given=Max("conversations__opened_at"),
        )
        .filter(load__lt=team.capacity)
        .order_by("load", F("last_given").asc(nulls_first=True), "pk")
    )
    return loads.first()


def auto_assign(conversation: Conversation):
    """Give an unowned open conversation to an agent if its team assigns automatically; the
    new owner (or None). Called in the transaction that opened or reopened it."""
    if conversation.assignee_id is not None or not conversation.is_open:
        return None
    agent = agent_for(conversation)
    if agent is None:
        return None
    won = Conversation.objects.filter(pk=conversation.pk, assignee__isnull=True).update(
        assignee=agent, updated_at=timezone.now()
    )
    if won:
        conversation.assignee = agent
        note(
            conversation,
            f"The {conversation.get_channel_display()} conversation went to {display_name(agent)} (automatic)",
        )
        fragments.assigned_to_you(conversation, agent)
    return agent if won else None


def offline_give_back(*, now: float | None = None) -> int:
    """Every open conversation of an agent offline longer than ``INBOX_OFFLINE_MINUTES`` goes to
    an online colleague (automatic teams) or back to the team's list; how many moved."""
    now = now if now is not None else time.time()
    held = Conversation.objects.filter(status__in=Conversation.OPEN_STATUSES, assignee__isnull=False)
    owners = set(held.values_list("assignee_id", flat=True))
    seen = last_seen(owners)
    gone = [pk for pk in owners if now - seen.get(pk, 0) > settings.INBOX_OFFLINE_MINUTES * 60]
    moved = 0
    for conversation in held.filter(assignee_id__in=gone).select_related("assignee"):
        before = conversation.assignee_id
        agent = agent_for(conversation, leaving=before)
        if Conversation.objects.filter(pk=conversation.pk, assignee_id=before).update(
            assignee=agent, updated_at=timezone.now()
        ):
            moved += 1
            whom = display_name(agent) if agent is not None else f"the {conversation.get_team_display()} team"
            note(conversation, f"{display_name(conversation.assignee)} went offline: the conversation went to {whom}")
            conversation.assignee = agent
            fragments.inbox_changed(conversation, also_user=before)
            if agent is not None:
                fragments.assigned_to_you(conversation, agent)
    return moved
