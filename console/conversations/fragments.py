"""What conversations push (through console.live.publish, after commit).

- "The inbox changed", to every page of the agents of the conversation's team and of its
  assignee. Pages fetch what they show again (the inbox list, the counts in the navigation),
  each as its user may see it; the message itself carries nothing about the customer.
- The SLA notices: a warning to the owner (or, with none, to the team's agents) when most of
  the time to answer has passed, and a breach notice to the managers; the same notice markup as
  the cases' mentions and escalations (templates/cases/notices.html)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from console.accounts.selectors import display_name
from console.conversations.models import Conversation
from console.customers.models import Customer
from console.live.groups import agent_group, managers_group, team_agents_group
from console.live.publish import publish

INBOX_CHANGED = {"type": "page.trigger", "name": "inbox-changed"}


def inbox_changed(conversation, *, also_team: str | None = None, also_user: int | None = None) -> None:
    """Also the team and the agent it was with before a hand-over."""
    groups = {team_agents_group(conversation.team)}
    if also_team:
        groups.add(team_agents_group(also_team))
    if also_user:
        groups.add(agent_group(also_user))
    if conversation.assignee_id:
        groups.add(agent_group(conversation.assignee_id))
    # The managers: their counts (every team's) and the dashboard's inbox figures.
    groups.add(managers_group())
    for group in sorted(groups):
        publish(group, lambda: INBOX_CHANGED)


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
    open, and their inbox counts."""
    publish(agent_group(agent.pk), lambda: _assigned_notice(conversation, agent))
    publish(agent_group(agent.pk), lambda: INBOX_CHANGED)


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
    publish(group, lambda: sla_warning_message(conversation_id=conversation.pk))


def sla_breached(conversation: Conversation) -> None:
    """The answer is overdue: a notice for every online manager."""
    publish(managers_group(), lambda: sla_breach_message(conversation_id=conversation.pk))


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
    publish(managers_group(), lambda: sla_not_done_message(conversation_id=conversation.pk))
