from django import template
from django.urls import reverse

from console.accounts.roles import agent_channel
from console.cases.forms import CaseOpenForm
from console.cases.models import Case
from console.cases.selectors import team_for_user

register = template.Library()


@register.filter
def case_ref(case_id: int | None) -> str:
    """The case number (K-000012) from an id, without fetching the case."""
    return Case.reference_for(case_id) if case_id else ""


@register.inclusion_tag("cases/open.html#open-menu", takes_context=True)
def case_open_menu(context, customer):
    """ "Open case…" on the customer's picture. Also rendered for live pushes, where there is no
    user: the form then starts on the phone queue, and htmx carries the CSRF token."""
    request = context.get("request")
    user = getattr(request, "user", None)
    known = user is not None and user.is_authenticated
    form = CaseOpenForm(
        initial={
            "channel": agent_channel(user) if known else "phone",
            "team": team_for_user(user) if known else "phone",
        },
        auto_id=f"open-case-{customer.pk}-%s",
    )
    return {
        "customer": customer,
        "form": form,
        "open_action": reverse("cases:open", args=[customer.pk]),
        "csrf_token": context.get("csrf_token"),
    }
