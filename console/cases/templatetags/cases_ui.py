from django import template
from django.urls import reverse

from console.cases.forms import CaseOpenForm
from console.cases.models import Case

register = template.Library()


@register.filter
def case_ref(case_id: int | None) -> str:
    """The case number (K-000012) from an id, without fetching the case."""
    return Case.reference_for(case_id) if case_id else ""


@register.inclusion_tag("cases/open.html#open-menu", takes_context=True)
def case_open_menu(context, customer, channel="", team=""):
    """ "Open case…" on the customer's picture, starting on the agent's channel and team queue
    (``agent_channel`` and ``team_for_user``, read by the view). Also rendered for live pushes,
    where there is no agent: the form then starts on the phone queue, and htmx carries the CSRF
    token."""
    form = CaseOpenForm(
        initial={"channel": channel or "phone", "team": team or "phone"},
        auto_id=f"open-case-{customer.pk}-%s",
    )
    return {
        "customer": customer,
        "form": form,
        "open_action": reverse("cases:open", args=[customer.pk]),
        "csrf_token": context.get("csrf_token"),
    }
