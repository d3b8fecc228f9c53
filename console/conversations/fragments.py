"""What conversations push (through console.live.publish, after commit).

- A changed conversation's row, to every page of the agents of its team (and of the team it
  left), of its assignee (and of the one it left) and of the managers: the row rendered once
  for all of them (rows.py), what the page needs to place it (team, assignee, status, channel,
  language, flags, order), and the counts of the teams it concerns. An open inbox puts the row
  in its place, changes it or takes it out (static/console/inbox.js); every page's counts in the
  navigation add up the teams' counts (static/console/inbox_nav.js). Nobody fetches anything
  again: a change costs the same whether 2 or 200 agents have their inbox open.
- The SLA notices: a warning to the owner (or, with none, to the team's agents) when most of
  the time to answer has passed, and a breach notice to the managers; the same notice markup as
  the cases' mentions and escalations (templates/cases/notices.html)."""

import json

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from console.accounts.selectors import display_name
from console.conversations.listing import is_breaching
from console.conversations.models import Conversation
from console.conversations.rows import row_pushed, sort_key, version
from console.conversations.selectors import FLAG_FILTERS, details_attach, team_counts
from console.customers.fragments import audience
from console.customers.models import Customer
from console.customers.selectors import users_who_may_not_see
from console.live.groups import agent_group, managers_group, team_agents_group
from console.live.publish import publish, publish_to

GONE = 2**53 - 1  # a merged conversation's last push: newer than any (and exact in JavaScript)
# The managers' dashboard figures fetch themselves again (a few pages, not every inbox).
INBOX_FIGURES = {"type": "page.trigger", "name": "inbox-figures"}


def _flag_names(conversation: Conversation) -> list[str]:
    """The list filters (FLAG_FILTERS) the conversation's customer passes."""
    levels = {(f.kind, f.effective_level) for f in conversation.badges}
    return [name for name, (_label, kind, wanted) in FLAG_FILTERS.items() if any((kind, w) in levels for w in wanted)]


def row_message(conversation_id: int, *, teams: list[str], was: int | None) -> dict:
    """The push for a changed conversation, built once after commit for every group."""
    conversation = Conversation.objects.select_related("customer", "assignee").filter(pk=conversation_id).first()
    counts = {"at": int(timezone.now().timestamp() * 1000), "teams": team_counts(teams)}
    if conversation is None:  # merged into another meanwhile: lists drop it
        detail = {"id": conversation_id, "open": False, "was": was, "version": GONE, "counts": counts}
    else:
        details_attach([conversation], viewer_id=None)
        now = timezone.now()
        detail = {
            "id": conversation.pk,
            # Which of two pushes is newer, should they arrive out of order through two groups.
            "version": version(conversation),
            "open": conversation.is_open,
            "team": conversation.team,
            "assignee": conversation.assignee_id,
            "was": was,
            "status": conversation.status,
            "breaching": is_breaching(conversation, now),
            "channel": conversation.channel,
            "language": conversation.customer.language,
            "flags": _flag_names(conversation),
            "sort": sort_key(conversation),
            "counts": counts,
            **row_pushed(conversation, now=now),
        }
    return {"type": "page.event", "text": json.dumps({"type": "event", "name": "inbox-row", "detail": detail})}


def row_withdrawn(conversation) -> None:
    """A restricted customer's conversation, to everyone outside its group: no longer in any list
    (after ``inbox_changed`` sent the row to the members). Sent to the agent groups of everyone
    else by name, since members listen on the team's and managers' groups too."""
    teams = [conversation.team]

    def heard_by() -> list[str]:
        return [agent_group(pk) for pk in users_who_may_not_see(conversation.customer_id)]

    def build() -> dict:
        counts = {"at": int(timezone.now().timestamp() * 1000), "teams": team_counts(teams)}
        current = Conversation.objects.only("updated_at").get(pk=conversation.pk)
        detail = {"id": conversation.pk, "open": False, "was": None, "version": version(current), "counts": counts}
        return {"type": "page.event", "text": json.dumps({"type": "event", "name": "inbox-row", "detail": detail})}

    publish_to(heard_by, build)


def inbox_changed(conversation, *, also_team: str | None = None, also_user: int | None = None) -> None:
    """Also the team and the agent it was with before a hand-over."""
    teams = sorted({conversation.team, also_team} - {None, ""})
    groups = {team_agents_group(team) for team in teams}
    for user in (conversation.assignee_id, also_user):
        if user:
            groups.add(agent_group(user))
    groups.add(managers_group())  # their counts are every team's
    was = also_user if also_user != conversation.assignee_id else None
    # A restricted customer's row reaches only the members of its group (their own pages).
    publish_to(
        lambda: audience(customer_id=conversation.customer_id, groups=sorted(groups)),
        lambda: row_message(conversation.pk, teams=teams, was=was),
    )
    publish(managers_group(), lambda: INBOX_FIGURES)


def _assigned_notice(conversation, agent) -> dict:
    name = Customer.objects.only("name").get(pk=conversation.customer_id).name
    html = render_to_string(
        "cases/notices.html#notice",
        {
            "tone": "info",
            "text": f"A {conversation.get_channel_display()} conversation with {name} is yours now.",
            "url": reverse("conversations:inbox", args=["mine"]),
            "link_text": "Open your inbox",
        },
    )
    return {"type": "agent.notice", "html": html}


def assigned_to_you(conversation, agent) -> None:
    """Automatic assignment gave this agent the conversation: a notice on every page they have
    open (the row and their counts come with the change itself, inbox_changed)."""
    _notify(conversation, agent_group(agent.pk), lambda: _assigned_notice(conversation, agent))


def _notify(conversation, group: str, build) -> None:
    """A notice naming the customer: for a restricted one, only to the members of its group."""
    publish_to(lambda: audience(customer_id=conversation.customer_id, groups=[group]), build)


def _notice(conversation: Conversation, *, tone: str, text: str) -> str:
    url = reverse("customers:picture", args=[conversation.customer_id])
    context = {"tone": tone, "text": text, "url": url, "link_text": "Open the customer"}
    return render_to_string("cases/notices.html#notice", context)


def _about(conversation: Conversation) -> str:
    due = timezone.localtime(conversation.due_at).strftime("%d-%m-%Y %H:%M")
    return f"{conversation.customer.name} on {conversation.get_channel_display()}, due {due}"


def sla_warning_message(*, conversation_id: int) -> dict:
    conversation = Conversation.objects.select_related("customer").get(pk=conversation_id)
    text = f"Answer soon: {_about(conversation)} ({conversation.get_priority_display().lower()} priority)"
    return {"type": "agent.notice", "html": _notice(conversation, tone="warn", text=text)}


def sla_breach_message(*, conversation_id: int) -> dict:
    conversation = Conversation.objects.select_related("customer", "assignee").get(pk=conversation_id)
    owner = conversation.assignee
    whose = display_name(owner) if owner else f"unassigned, {conversation.get_team_display()}"
    text = f"Not answered in time: {_about(conversation)} ({whose})"
    return {"type": "manager.notice", "html": _notice(conversation, tone="bad", text=text)}


def sla_warned(conversation: Conversation) -> None:
    """Most of the time to answer has passed: a notice on every page of the owner, or of the
    team's agents while nobody has taken it."""
    if conversation.assignee_id:
        group = agent_group(conversation.assignee_id)
    else:
        group = team_agents_group(conversation.team)
    _notify(conversation, group, lambda: sla_warning_message(conversation_id=conversation.pk))


def sla_breached(conversation: Conversation) -> None:
    """The answer is overdue: a notice for every online manager."""
    _notify(conversation, managers_group(), lambda: sla_breach_message(conversation_id=conversation.pk))


def sla_not_done_message(*, conversation_id: int) -> dict:
    conversation = Conversation.objects.select_related("customer", "assignee").get(pk=conversation_id)
    owner = conversation.assignee
    whose = display_name(owner) if owner else f"unassigned, {conversation.get_team_display()}"
    done_by = timezone.localtime(conversation.resolution_due_at).strftime("%d-%m-%Y %H:%M")
    channel = conversation.get_channel_display()
    text = f"Not done in time: {conversation.customer.name} on {channel}, to be done by {done_by} ({whose})"
    return {"type": "manager.notice", "html": _notice(conversation, tone="bad", text=text)}


def sla_not_done_in_time(conversation: Conversation) -> None:
    """The conversation is still open past its resolution due time: a notice for every online
    manager, like a breach."""
    _notify(conversation, managers_group(), lambda: sla_not_done_message(conversation_id=conversation.pk))
