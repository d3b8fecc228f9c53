from django import template
from django.urls import reverse

from console.journeys.forms import JourneyStartForm

register = template.Library()


@register.filter
def journey_line(lines: dict, case_id: int) -> str:
    """The case's line from the picture's ``journey_lines`` (read with the picture's data)."""
    return lines.get(case_id, "") if lines else ""


@register.inclusion_tag("journeys/start.html#start-menu", takes_context=True)
def journey_start_menu(context, customer, templates):
    """ "Start journey…" on the customer's picture, when there is a template to start;
    ``templates`` are the picture's ``startable_journeys``. Also rendered for live pushes (no
    request): htmx carries the CSRF token then."""
    return {
        "customer": customer,
        "form": JourneyStartForm(templates=templates, auto_id=f"journey-start-{customer.pk}-%s"),
        "start_action": reverse("journeys:start", args=[customer.pk]),
        "csrf_token": context.get("csrf_token"),
    }
