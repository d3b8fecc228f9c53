"""Callbacks: promise one from the customer's picture or a case, move it, mark it made.

Each view checks the role and that the user may see the customer (through the customer's or
the case's selector) before it reads the form; the services check the role again.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from console.accounts.roles import Capability, require
from console.callbacks.forms import CallbackCompleteForm, CallbackPromiseForm, WindowForm
from console.callbacks.models import Callback
from console.callbacks.selectors import case_callbacks, phone_on_record
from console.callbacks.services import callback_complete, callback_promise, callback_reschedule
from console.callbacks.windows import default_window
from console.cases.selectors import case_for_user
from console.customers.identifiers import format_phone
from console.customers.selectors import customer_for_user

PROMISE = "callbacks/promise.html"
PANEL = "callbacks/case_panel.html"


def promise_form(data=None, *, prefix_id: str) -> CallbackPromiseForm:
    start, end = default_window()
    return CallbackPromiseForm(data, initial={"window_start": start, "window_end": end}, auto_id=f"{prefix_id}-%s")


def promise_context(*, customer, identifiers, can_text: bool, form=None, done="", done_case=None) -> dict:
    """What the "Callback…" form on the picture needs; ``identifiers`` are the picture's own,
    so the form costs no query. ``can_text``: whether to offer "Text the customer…", for the
    user or, in a live push, for the audience it is rendered for (the view checks the role again)."""
    phone = phone_on_record(identifiers)
    return {
        "customer": customer,
        "form": form or promise_form(prefix_id=f"callback-{customer.pk}"),
        "phone_on_record": format_phone(phone) if phone else "",
        "can_text": can_text,
        "promise_action": reverse("callbacks:promise", args=[customer.pk]),
        "done": done,
        "done_case": done_case,
    }


def _may_text(user) -> bool:
    """Whether to offer "Text the customer…" to this user (the view checks the role again)."""
    return user.has_perm(Capability.SEND_MESSAGES)


def _text_customer(request, form) -> tuple[bool, str]:
    """Whether to text the customer, and what the confirmation adds when the box was ticked by
    a role that does not send messages (it was offered by a page rendered for another one)."""
    asked = bool(form.cleaned_data.get("text_customer"))
    if asked and not request.user.has_perm(Capability.SEND_MESSAGES):
        return False, " (not texted: your role does not send messages)"
    return asked, ""


@require_POST
def promise(request, customer_id):
    """Promise a callback from the customer's picture: a new callback case in the phone queue."""
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    return _promise(request, customer=customer, case=None)


@require_POST
def promise_on_case(request, case_id):
    """Promise a callback on the case the agent is working on."""
    case = case_for_user(request.user, case_id)
    return _promise(request, customer=case.customer, case=case)


def _promise(request, *, customer, case):
    """Both ways to promise: from the picture (a new callback case; the form answers in
    place) or on a case (the case page refreshes; a refused form comes back in the panel)."""
    require(request.user, Capability.RECORD_INTERACTIONS)
    prefix_id = f"callback-{customer.pk}" if case is None else f"case-{case.pk}-callback"
    form = promise_form(request.POST, prefix_id=prefix_id)
    if form.is_valid():
        data = form.cleaned_data
        text_customer, not_texted = _text_customer(request, form)
        try:
            callback = callback_promise(
                customer_id=customer.pk,
                user=request.user,
                case_id=None if case is None else case.pk,
                window_start=data["window_start"],
                window_end=data["window_end"],
                phone=data["phone"],
                about=data["about"] if case is None else "",
                text_customer=text_customer,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            done = f"Callback promised: {callback.phone_display} {callback.window_text}.{not_texted}"
            if case is not None or not request.htmx:
                return _done(request, callback.case, done)
            context = promise_context(
                customer=customer,
                identifiers=customer.identifiers.all(),
                can_text=_may_text(request.user),
                done=done,
                done_case=callback.case,
            )
            return render(request, f"{PROMISE}#promise-fields", context)
    if case is not None:
        return _panel(request, case, promise_bound=form)
    context = promise_context(
        customer=customer, identifiers=customer.identifiers.all(), can_text=_may_text(request.user), form=form
    )
    return render(request, f"{PROMISE}#promise-fields" if request.htmx else PROMISE, context, status=422)


def panel_context(*, case, user, csrf_token=None, promise_bound=None, bound_for: int | None = None, bound=None) -> dict:
    """The callbacks panel on a case page; a form that failed is shown again with its errors."""
    callbacks = case_callbacks(case_id=case.pk)
    # A form for a callback that is no longer promised is not shown again: its errors are.
    errors = [] if bound is None else list(bound.non_field_errors())
    for callback in callbacks:
        prefix = f"callback-{callback.pk}"
        callback.complete_form = CallbackCompleteForm(auto_id=f"{prefix}-done-%s")
        callback.move_form = WindowForm(
            initial={"window_start": callback.window_start, "window_end": callback.window_end},
            auto_id=f"{prefix}-move-%s",
        )
        if bound is not None and bound_for == callback.pk and callback.is_promised:
            errors = []
            setattr(callback, "complete_form" if isinstance(bound, CallbackCompleteForm) else "move_form", bound)
    return {
        "case": case,
        "callbacks": callbacks,
        "errors": errors,
        "promise_form": promise_bound or promise_form(prefix_id=f"case-{case.pk}-callback"),
        "can_record": user is not None and user.has_perm(Capability.RECORD_INTERACTIONS),
        "can_text": _may_text(user),
        "csrf_token": csrf_token,
    }


def case_page_callbacks(*, case, user) -> dict:
    """Callbacks' part of the case page (console/cases/page_parts.py): the panel as it stands."""
    return {"callback_panel": panel_context(case=case, user=user)}


def _panel(request, case, *, status=422, **bound):
    context = panel_context(case=case, user=request.user, **bound)
    return render(request, f"{PANEL}#callback-panel", context, status=status)


def _done(request, case, text):
    messages.success(request, text)
    # The case's head and history changed too: an htmx form shows the whole page again.
    return HttpResponseClientRefresh() if request.htmx else redirect(case)


def _callback_for_user(request, callback_id) -> tuple[Callback, object]:
    callback = get_object_or_404(Callback.objects.only("case_id"), pk=callback_id)
    case = case_for_user(request.user, callback.case_id)
    require(request.user, Capability.RECORD_INTERACTIONS)
    return callback, case


@require_POST
def complete(request, callback_id):
    """The phone agent made the callback: the outcome, and what happens next."""
    callback, case = _callback_for_user(request, callback_id)
    form = CallbackCompleteForm(request.POST, auto_id=f"callback-{callback.pk}-done-%s")
    if form.is_valid():
        try:
            callback_complete(callback_id=callback.pk, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, "Callback made; the outcome is on the timeline.")
    return _panel(request, case, bound_for=callback.pk, bound=form)


@require_POST
def reschedule(request, callback_id):
    """Move a promised callback to another window."""
    callback, case = _callback_for_user(request, callback_id)
    form = WindowForm(request.POST, auto_id=f"callback-{callback.pk}-move-%s")
    if form.is_valid():
        data = form.cleaned_data
        text_customer, not_texted = _text_customer(request, form)
        try:
            callback = callback_reschedule(
                callback_id=callback.pk,
                user=request.user,
                window_start=data["window_start"],
                window_end=data["window_end"],
                text_customer=text_customer,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, f"Callback moved: {callback.window_text}.{not_texted}")
    return _panel(request, case, bound_for=callback.pk, bound=form)
