from django import template
from django.urls import reverse

from console.journeys import selectors
from console.journeys.forms import JourneyStartForm

register = template.Library()


@register.simple_tag
def case_journey_progress(case):
    """Where the case's journey stands; None (and no query) for a case of another kind."""
    journey = selectors.case_journey(case)
    return selectors.journey_progress(journey, language=case.customer.language) if journey is not None else None


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
