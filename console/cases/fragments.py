"""What a push about cases carries (sent by console.live.publish after commit): the queue
list as the queue page renders it, and the notices an agent or a manager sees."""

from django.template.loader import render_to_string
from django.urls import reverse

from console.cases.models import Case, Team
from console.cases.selectors import team_queue


def queue_message(team: str) -> dict:
    """The team's queue as it stands now; one rendering for every open queue page."""
    html = render_to_string(
        "cases/queue.html#queue-list", {"queue": team_queue(team=team), "teams": Team.choices, "oob": True}
    )
    return {"type": "queue.changed", "team": team, "html": html}


def _notice(*, tone: str, text: str, url: str, link_text: str) -> str:
    return render_to_string(
        "cases/notices.html#notice", {"tone": tone, "text": text, "url": url, "link_text": link_text}
    )


def mention_notice_message(*, case_id: int, by: str, excerpt: str) -> dict:
    case = Case.objects.select_related("customer").get(pk=case_id)
    text = f"{by} mentioned you on {case.reference} ({case.customer.name}): “{excerpt}”"
    html = _notice(tone="info", text=text, url=reverse("cases:case", args=[case_id]), link_text="Open the case")
    return {"type": "agent.notice", "html": html}


def escalation_notice_message(*, case_id: int) -> dict:
    case = Case.objects.select_related("customer").get(pk=case_id)
    text = f"Overdue complaint escalated: {case.customer.name}, “{case.title}” ({case.reference})"
    html = _notice(tone="bad", text=text, url=reverse("cases:case", args=[case_id]), link_text="Open the case")
    return {"type": "manager.notice", "html": html}
