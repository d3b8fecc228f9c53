"""What cases push to open consoles (through console.live.publish, after commit): the queue list
as the queue page renders it, and the notices an agent or a manager sees."""

from django.template.loader import render_to_string
from django.urls import reverse

from console.cases.models import Case
from console.customers.fragments import audience
from console.live.groups import agent_group, managers_group
from console.live.publish import publish_to


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


def mention_notified(*, user_id: int, case_id: int, by: str, excerpt: str) -> None:
    """A colleague named this agent (@username) in a case note: a notice on every page they have open."""
    _notify(case_id, agent_group(user_id), lambda: mention_notice_message(case_id=case_id, by=by, excerpt=excerpt))


def complaint_escalated(*, case_id: int) -> None:
    """A complaint passed its deadline: a notice for every online manager. (The escalation's
    timeline entry, of kind case, already tells the dashboards to look again.)"""
    _notify(case_id, managers_group(), lambda: escalation_notice_message(case_id=case_id))


def _notify(case_id: int, group: str, build) -> None:
    """A notice naming the case's customer: for a restricted one, only to the members of its group."""

    def heard_by() -> list[str]:
        customer_id = Case.objects.values_list("customer_id", flat=True).get(pk=case_id)
        return audience(customer_id=customer_id, groups=[group])

    publish_to(heard_by, build)
