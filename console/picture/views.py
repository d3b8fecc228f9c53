from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, agent_channel, require
from console.accounts.services import audit_event_record
from console.cases.data_quality import address_confirm, address_correct
from console.cases.selectors import team_for_user
from console.commerce.models import OrderLine
from console.commerce.services import return_open
from console.customers.models import Address, Customer
from console.customers.selectors import customer_for_user, hidden_customers, visible_customers
from console.messaging.selectors import timeline_with_statuses
from console.picture.merge import (
    customer_merge,
    default_survivor,
    merge_candidates_find,
    merge_preview,
    merged_notice,
    merged_records,
)
from console.picture.search import customer_exact_match, customer_search
from console.picture.selectors import customer_picture
from console.timeline.forms import InteractionForm
from console.timeline.models import Channel
from console.timeline.selectors import channel_filter, customer_activity
from console.timeline.services import interaction_record


@require_GET
def search(request):
    if not request.user.has_perm(Capability.VIEW_CUSTOMERS):
        raise PermissionDenied("Your role does not allow viewing customers.")
    query = request.GET.get("q", "")[:200]
    # A search the agent sent (Enter, not the list shown while typing) for an exact customer
    # number, order number, e-mail address... of one customer opens that customer.
    submitted = not request.htmx or request.htmx.boosted or request.GET.get("open")
    hidden = hidden_customers(request.user)
    if submitted and (match := customer_exact_match(query=query, hidden=hidden)):
        return HttpResponseClientRedirect(match.get_absolute_url()) if request.htmx else redirect(match)
    context = {"query": query, "results": customer_search(query=query, hidden=hidden) if query else []}
    template = "customers/search.html#results" if request.htmx else "customers/search.html"
    return render(request, template, context)


def picture_context(request, customer, *, form=None) -> dict:
    """What the customer picture template needs; shared by every view that renders it."""
    channel = channel_filter(request.GET.get("channel"))
    works_on = agent_channel(request.user)
    return {
        "customer": customer,
        "picture": customer_picture(customer=customer, user=request.user),
        "timeline": timeline_with_statuses(user=request.user, customer_id=customer.pk, channel=channel),
        "channels": Channel.choices,
        "form": form or InteractionForm(initial={"channel": works_on}),
        # Where "Open case…" starts for this agent (a live push has no agent: the phone queue).
        "agent_channel": works_on,
        "agent_team": team_for_user(request.user),
        # Nothing new is recorded about an erased customer (docs/privacy.md): no forms.
        "can_record": customer.erased_at is None and request.user.has_perm(Capability.RECORD_INTERACTIONS),
        "merged_from": merged_records(customer=customer),
        "activity": customer_activity(customer_id=customer.pk),
    }


@require_GET
def picture(request, customer_id):
    customer = customer_for_user(request.user, customer_id)
    if customer.merged_into_id:
        return _to_survivor(request, customer)
    audit_event_record(actor=request.user, action=AuditEvent.Action.VIEWED_CUSTOMER, customer=customer, request=request)
    return render(request, "customers/picture.html", picture_context(request, customer))


def _to_survivor(request, customer):
    """A merged-away record has nothing left to show: send the agent on to the one it became."""
    messages.info(request, merged_notice(customer))
    return redirect(customer.merged_into)


@require_http_methods(["GET", "POST"])
def merge(request, customer_id):
    """Compare this record with another one side by side, choose which to keep, merge."""
    customer = customer_for_user(request.user, customer_id)
    require(request.user, Capability.RECORD_INTERACTIONS)
    if customer.merged_into_id:
        return _to_survivor(request, customer)
    if request.method == "POST":
        return _merge_confirmed(request, customer)
    text = request.GET.get("other", "")[:200]
    found = merge_candidates_find(customer=customer, text=text, user=request.user)
    if found.other is None:
        return _merge_page(request, customer, text=text, choices=found.choices, error=found.error)
    return _merge_page(request, customer, text=text, other=found.other)


def _merge_confirmed(request, customer):
    try:
        other = visible_customers(request.user).get(pk=int(request.POST.get("other", "")))
        survivor_id = int(request.POST.get("survivor", ""))
    except (ValueError, Customer.DoesNotExist):
        return _merge_page(
            request, customer, error="The other record could not be found. Enter its number again.", status=422
        )
    if survivor_id not in (customer.pk, other.pk):
        return _merge_page(request, customer, other=other, error="Choose which of the two records to keep.", status=422)
    merged_id = other.pk if survivor_id == customer.pk else customer.pk
    try:
        survivor = customer_merge(user=request.user, survivor_id=survivor_id, merged_id=merged_id)
    except ValidationError as exc:
        return _merge_page(request, customer, text=other.customer_number, error=" ".join(exc.messages), status=422)
    merged = customer if merged_id == customer.pk else other
    messages.success(request, f"{merged.customer_number} ({merged.name}) was merged into this record.")
    return redirect(survivor)


def _merge_page(request, customer, *, text="", other=None, choices=(), error="", status=200):
    context = {"customer": customer, "other_text": text, "choices": choices, "error": error, "other": other}
    if other is not None:
        context["survivor"] = default_survivor(customer, other)
        # Each side shows what it would hand over if the other one is kept.
        context["sides"] = [
            {"record": record, "moves": merge_preview(survivor=counterpart, merged=record)}
            for record, counterpart in ((customer, other), (other, customer))
        ]
    return render(request, "customers/merge.html", context, status=status)


@require_POST
def confirm_address(request, customer_id, address_id):
    """The customer says the address post came back from is right after all (story S2)."""
    customer = _customer_for_address_change(request, customer_id, address_id)
    try:
        address_confirm(customer_id=customer.pk, address_id=address_id, user=request.user, channel=_talking_on(request))
    except ValidationError as exc:
        return _returned_mail_prompt_invalid(request, customer, address_id, exc)
    return _returned_mail_prompt_done(request, customer)


@require_POST
def correct_address(request, customer_id, address_id):
    """The customer gives the address post should go to instead (story S2)."""
    customer = _customer_for_address_change(request, customer_id, address_id)
    typed = {name: request.POST.get(name, "")[:200] for name in ("street", "postal_code", "city", "country")}
    try:
        address_correct(
            customer_id=customer.pk, address_id=address_id, user=request.user, channel=_talking_on(request), **typed
        )
    except ValidationError as exc:
        return _returned_mail_prompt_invalid(request, customer, address_id, exc, typed=typed)
    return _returned_mail_prompt_done(request, customer)


def _customer_for_address_change(request, customer_id, address_id):
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    require(request.user, Capability.RECORD_INTERACTIONS)
    get_object_or_404(Address, pk=address_id, customer=customer)
    return customer


def _talking_on(request) -> str:
    """The channel the agent talks to the customer on: the one chosen in the record form (the
    prompt sends it along), else the one the agent usually works on."""
    return request.POST.get("channel") or agent_channel(request.user)


def _returned_mail_prompt_done(request, customer):
    if not request.htmx:
        return redirect(customer)
    # The prompt goes, the header shows the address as it is now; the push brings the timeline.
    context = {**picture_context(request, customer), "oob": True}
    return render(request, "customers/picture.html#returned-mail-response", context)


def _returned_mail_prompt_invalid(request, customer, address_id, exc, *, typed=None):
    """The prompt again with what was wrong and what was typed; nothing was changed."""
    picture = customer_picture(customer=customer, user=request.user)
    still_returned = any(a.pk == address_id and a.status == Address.Status.UNDELIVERABLE for a in picture.addresses)
    problems = exc.messages
    context = {
        "prompt_address_id": address_id,
        "prompt_errors": problems if still_returned else [],
        # Someone else settled it meanwhile: the prompt is gone, so say why.
        "prompt_notice": "" if still_returned else " ".join(problems),
        "prompt_typed": typed or {},
    }
    if request.htmx:
        context |= {"customer": customer, "picture": picture}
        return render(request, "customers/picture.html#address-prompt", context, status=422)
    return render(request, "customers/picture.html", picture_context(request, customer) | context, status=422)


@require_POST
def record(request, customer_id):
    """An agent records a note, call summary or store visit; the timeline shows it on top."""
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    require(request.user, Capability.RECORD_INTERACTIONS)
    form = InteractionForm(request.POST)
    if form.is_valid():
        interaction_record(user=request.user, customer_id=customer.pk, **form.cleaned_data)
        if not request.htmx:
            return redirect(customer)
        context = {
            "customer": customer,
            "form": InteractionForm(initial={"channel": form.cleaned_data["channel"]}),
            "timeline": timeline_with_statuses(user=request.user, customer_id=customer.pk),
            "channels": Channel.choices,
            "oob": True,
        }
        return render(request, "customers/picture.html#record-response", context)
    # Invalid: show the form again with what was typed, nothing lost.
    if request.htmx:
        return render(request, "customers/picture.html#record-form", {"customer": customer, "form": form}, status=422)
    return render(request, "customers/picture.html", picture_context(request, customer, form=form), status=422)


@require_POST
def open_return(request, customer_id, line_id):
    """Second click of "return this line": the reason button posts here."""
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    require(request.user, Capability.RECORD_INTERACTIONS)
    error = ""
    try:
        return_open(
            user=request.user, customer_id=customer.pk, order_line_id=line_id, reason=request.POST.get("reason", "")
        )
    except OrderLine.DoesNotExist:
        error = "That order line does not exist (any more)."
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(customer)
    context = {
        "customer": customer,
        "picture": customer_picture(customer=customer, user=request.user),
        "timeline": timeline_with_statuses(user=request.user, customer_id=customer.pk),
        "channels": Channel.choices,
        "return_error": error,
        "oob": True,
    }
    return render(request, "customers/picture.html#return-response", context, status=422 if error else 200)


def _before_from(request) -> int | None:
    try:
        return int(request.GET["before"])
    except (KeyError, ValueError):
        return None


@require_GET
def timeline(request, customer_id):
    """The timeline panel (a channel filter) or, with ``before``, the next older entries."""
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    before = _before_from(request)
    page = timeline_with_statuses(
        user=request.user,
        customer_id=customer.pk,
        channel=channel_filter(request.GET.get("channel")),
        before_seq=before,
    )
    partial = "timeline-entries" if before is not None else "timeline"
    context = {"timeline": page, "customer": customer, "channels": Channel.choices}
    return render(request, f"customers/picture.html#{partial}", context)
