"""Cases: the case page, opening a case and linking contacts to one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from console.accounts.roles import Capability, require
from console.cases.complaints import complaint_close
from console.cases.forms import CaseNoteForm, CaseOpenForm, CaseUpdateForm, ComplaintCloseForm, EntryLinkForm
from console.cases.models import Case
from console.cases.page_parts import CALLBACKS, JOURNEY, parts_read
from console.cases.selectors import (
    case_entries,
    case_for_user,
    case_messages,
    case_owners,
    customer_open_cases,
    entry_as_shown,
    team_for_user,
)
from console.cases.services import case_link_entry, case_note_add, case_open, case_update
from console.customers.selectors import customer_for_user
from console.timeline.models import TimelineEntry

CASE = "cases/case.html"
LINK = "cases/link.html"
OPEN = "cases/open.html"


@require_GET
def case(request, case_id):
    return _case_page(request, case_for_user(request.user, case_id))


@require_GET
def case_live(request, case_id):
    """What the case page fetches when its customer's stream brings something of this case: the
    header, the contacts and notes, and (``?side=1``, when the agent is not editing them) the
    forms with their new starting values. The note being typed is never part of it."""
    case = case_for_user(request.user, case_id)
    side = request.GET.get("side") == "1"
    # The journey's progress always; the callbacks are in the side, which is sent only when asked.
    parts = (JOURNEY, CALLBACKS) if side else (JOURNEY,)
    return render(request, f"{CASE}#case-live", case_page_context(request, case, parts=parts, side=side))


def case_page_context(request, case, *, parts, **forms) -> dict:
    """What the case page's partials need; apps that answer with a piece of the case page
    (journeys) render the case head from it too, so it shows the same. ``parts``: the parts of
    apps above cases that the response shows (console/cases/page_parts.py)."""
    finance = request.user.has_perm(Capability.VIEW_INVOICES)
    return {
        "case": case,
        "customer": case.customer,
        "entries": case_entries(case=case, finance=finance),
        "case_messages": case_messages(case=case),
        "update_form": forms.get("update_form") or _update_form(case),
        "note_form": forms.get("note_form") or CaseNoteForm(),
        "close_form": forms.get("close_form") or _close_form(request, case),
        "can_record": request.user.has_perm(Capability.RECORD_INTERACTIONS),
        "done": forms.get("done", ""),
        "side": forms.get("side", False),
        "oob": request.htmx,
        **parts_read(parts=parts, case=case, user=request.user),
    }


def _case_page(request, case, *, status=200, **forms):
    """The whole page, or for htmx its head and body (the journey's progress is in neither)."""
    parts = (CALLBACKS,) if request.htmx else (CALLBACKS, JOURNEY)
    context = case_page_context(request, case, parts=parts, **forms)
    return render(request, f"{CASE}#case-response" if request.htmx else CASE, context, status=status)


def _close_form(request, case, data=None):
    return ComplaintCloseForm(data, case=case, can_send=request.user.has_perm(Capability.SEND_MESSAGES))


def _update_form(case, data=None):
    initial = {
        "owner": case.owner_id,
        "team": case.team,
        "status": case.status,
        "due_at": case.due_at,
        "next_step": case.next_step,
        "resolution": case.resolution,
    }
    return CaseUpdateForm(data, initial=initial, owners=case_owners(), case=case)


@require_POST
def update(request, case_id):
    case = case_for_user(request.user, case_id)
    require(request.user, Capability.RECORD_INTERACTIONS)
    form = _update_form(case, request.POST)
    if not form.is_valid():
        return _case_page(request, case, update_form=form, status=422)
    try:
        case = case_update(case_id=case.pk, user=request.user, **_renamed(form.cleaned_data))
    except ValidationError as exc:
        form.add_error(None, exc)
        return _case_page(request, case, update_form=form, status=422)
    return _done(request, case, "Case updated.")


def _renamed(data: dict) -> dict:
    renamed = {
        "owner_id": data["owner"],
        "team": data["team"],
        "status": data["status"],
        "due_at": data["due_at"],
        "next_step": data["next_step"],
    }
    if "resolution" in data:  # not for a complaint: its resolution is the answer sent
        renamed["resolution"] = data["resolution"]
    return renamed


def _done(request, case, text):
    if not request.htmx:
        messages.success(request, text)
        return redirect(case)
    return _case_page(request, case_for_user(request.user, case.pk), done=text)


@require_POST
def note(request, case_id):
    case = case_for_user(request.user, case_id)
    require(request.user, Capability.RECORD_INTERACTIONS)
    form = CaseNoteForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, note_form=form, status=422)
    _, mentioned = case_note_add(case_id=case.pk, user=request.user, text=form.cleaned_data["text"])
    names = ", ".join(u.get_full_name() or u.get_username() for u in mentioned)
    return _done(request, case, f"Note added; {names} notified." if names else "Note added.")


@require_POST
def close_complaint(request, case_id):
    case = case_for_user(request.user, case_id)
    require(request.user, Capability.RECORD_INTERACTIONS)
    form = _close_form(request, case, request.POST)
    if form.is_valid():
        try:
            case = complaint_close(case_id=case.pk, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            sent = (
                "the answer is on its way to the customer"
                if form.cleaned_data["send"]
                else "the answer is on the timeline"
            )
            return _done(request, case, f"Complaint closed; {sent}.")
    return _case_page(request, case, close_form=form, status=422)


@require_POST
def open_case(request, customer_id):
    """Open a case from scratch on the customer's picture."""
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    require(request.user, Capability.RECORD_INTERACTIONS)
    form = CaseOpenForm(request.POST)
    if form.is_valid():
        try:
            case = case_open(customer_id=customer.pk, actor_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return HttpResponseClientRedirect(case.get_absolute_url()) if request.htmx else redirect(case)
    context = {"customer": customer, "form": form, "open_action": reverse("cases:open", args=[customer.pk])}
    return render(request, f"{OPEN}#open-fields" if request.htmx else OPEN, context, status=422)


def _entry_for_user(request, entry_id) -> TimelineEntry:
    """The entry as this user sees it on the timeline (store: no invoice details)."""
    entry = get_object_or_404(TimelineEntry.objects.only("customer_id"), pk=entry_id)
    customer_for_user(request.user, entry.customer_id)
    require(request.user, Capability.RECORD_INTERACTIONS)
    return entry_as_shown(entry_id=entry.pk, finance=request.user.has_perm(Capability.VIEW_INVOICES))


@require_http_methods(["GET", "POST"])
def link_entry(request, entry_id):
    """Link a contact from the customer's timeline to one of their open cases, or open a new
    case from it."""
    entry = _entry_for_user(request, entry_id)
    cases = customer_open_cases(customer_id=entry.customer_id)
    form = EntryLinkForm(request.POST or None, cases=cases)
    if request.method == "POST":
        if form.is_valid():
            case_link_entry(case_id=form.cleaned_data["case"], entry_id=entry.pk, user=request.user)
            if request.htmx:
                return _linked_entry(request, entry)
            return redirect(Case.objects.get(pk=form.cleaned_data["case"]))
        status = 422
    else:
        status = 200
    context = {
        "entry": entry,
        "customer": entry.customer,
        "form": form,
        "cases": cases,
        "open_form": _open_form_from(entry, request.user),
        "open_action": reverse("cases:open-from-entry", args=[entry.pk]),
    }
    return render(request, f"{LINK}#link-box" if request.htmx else LINK, context, status=status)


def _linked_entry(request, entry):
    """The entry as the timeline shows it, now with its case, for the agent who linked it."""
    return render(request, "customers/picture.html#entry", {"e": _entry_for_user(request, entry.pk)})


def _open_form_from(entry, user):
    team = team_for_user(user)
    return CaseOpenForm(
        initial={"title": entry.summary[:200], "channel": entry.channel, "team": team, "kind": Case.Kind.QUESTION}
    )


@require_POST
def open_from_entry(request, entry_id):
    """Open a case from a contact on the timeline; the contact is linked to it."""
    entry = _entry_for_user(request, entry_id)
    form = CaseOpenForm(request.POST)
    if form.is_valid():
        try:
            case = case_open(
                customer_id=entry.customer_id, actor_user=request.user, entry_id=entry.pk, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return HttpResponseClientRedirect(case.get_absolute_url()) if request.htmx else redirect(case)
    context = {
        "customer": entry.customer,
        "form": form,
        "open_action": reverse("cases:open-from-entry", args=[entry.pk]),
    }
    return render(request, f"{OPEN}#open-fields" if request.htmx else OPEN, context, status=422)
