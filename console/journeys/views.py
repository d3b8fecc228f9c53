"""Journeys: start one from the customer's picture; record the customer's choice and mark a
step done from the case page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from console.accounts.roles import Capability, require
from console.cases.page_parts import JOURNEY
from console.cases.selectors import case_for_user
from console.cases.views import case_page_context
from console.customers.selectors import customer_for_user
from console.journeys.forms import JourneyChoiceForm, JourneyStartForm
from console.journeys.selectors import case_progress, startable_templates
from console.journeys.services import journey_choice_record, journey_start, journey_step_complete

START = "journeys/start.html"
PROGRESS = "journeys/progress.html"


@require_POST
def start(request, customer_id):
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    require(request.user, Capability.RECORD_INTERACTIONS)
    form = JourneyStartForm(request.POST, templates=startable_templates())
    if form.is_valid():
        try:
            journey = journey_start(
                customer_id=customer.pk,
                template_id=form.cleaned_data["template"],
                title=form.cleaned_data["title"],
                order_number=form.cleaned_data["order_number"],
                actor_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            case = journey.case
            return HttpResponseClientRedirect(case.get_absolute_url()) if request.htmx else redirect(case)
    context = {"customer": customer, "form": form, "start_action": reverse("journeys:start", args=[customer.pk])}
    return render(request, f"{START}#start-fields" if request.htmx else START, context, status=422)


def case_page_journey(*, case, user) -> dict:
    """Journeys' part of the case page (console/cases/page_parts.py): where its journey stands."""
    return {"journey_progress": case_progress(case)}


def _after(request, case, text: str, *, status=200, error: str = ""):
    """The progress box and the case head (status, next step) as they now stand; a plain form
    post goes back to the case page."""
    if not request.htmx:
        (messages.error if error else messages.success)(request, error or text)
        return redirect(case)
    case = case_for_user(request.user, case.pk)
    context = {**case_page_context(request, case, parts=(JOURNEY,)), "journey_done": text, "journey_error": error}
    return render(request, f"{PROGRESS}#progress-response", context, status=status)


@require_POST
def choice(request, case_id):
    case = case_for_user(request.user, case_id)
    require(request.user, Capability.RECORD_INTERACTIONS)
    form = JourneyChoiceForm(request.POST)
    if not form.is_valid():
        return _after(request, case, "", status=422, error="Choose one of the choices offered.")
    try:
        journey_choice_record(user=request.user, case_id=case.pk, choice=form.cleaned_data["choice"])
    except ValidationError as exc:
        return _after(request, case, "", status=422, error=" ".join(exc.messages))
    return _after(request, case, f"Recorded: the customer chose “{form.cleaned_data['choice']}”.")


@require_POST
def step_done(request, case_id):
    case = case_for_user(request.user, case_id)
    require(request.user, Capability.RECORD_INTERACTIONS)
    try:
        journey_step_complete(user=request.user, case_id=case.pk)
    except ValidationError as exc:
        return _after(request, case, "", status=422, error=" ".join(exc.messages))
    return _after(request, case, "Step marked done.")
