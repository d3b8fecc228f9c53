"""What conversations push (through console.live.publish, after commit): "the inbox changed",
to every page of the agents of the conversation's team and of its assignee. Pages fetch what
they show again (the inbox list, the counts in the navigation), each as its user may see it;
the message itself carries nothing about the customer."""

from django.template.loader import render_to_string
from django.urls import reverse

from console.customers.models import Customer
from console.live.groups import agent_group, team_agents_group
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
