"""Credit approvals for managers, and the credit check on the customer's picture."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from console.accounts.roles import Capability, require
from console.customers.selectors import customer_for_user, customer_visible_or_404
from console.flags.approvals import credit_approval_decide
from console.flags.forms import FlagOverrideForm
from console.flags.models import CreditApproval
from console.flags.selectors import (
    approval_notices,
    approvals_pending,
    approvals_recently_decided,
    flag_with_history,
)
from console.flags.services import flag_override_end, flag_override_set, flags_ensure
from console.ui.money import euro

APPROVALS = "flags/approvals.html"
PICTURE = "customers/picture.html"


@require_GET
def approvals(request):
    """Requests waiting for a manager, the longest waiting first, and the recent decisions."""
    require(request.user, Capability.MANAGE_FLAGS)
    return _approvals_page(request)


@require_GET
def notices(request):
    """The notices area every manager's page has; fetched when its websocket (re)connects."""
    require(request.user, Capability.MANAGE_FLAGS)
    return render(request, f"{APPROVALS}#notices", {"notices": approval_notices()})


@require_POST
def decide(request, approval_id):
    require(request.user, Capability.MANAGE_FLAGS)
    approval = get_object_or_404(CreditApproval.objects.select_related("customer"), pk=approval_id)
    customer_visible_or_404(request.user, approval.customer)
    choice = request.POST.get("decision")
    if choice not in ("approve", "refuse"):
        return _approvals_page(request, errors={approval.pk: "Choose Approve or Refuse."}, status=422)
    try:
        credit_approval_decide(
            approval_id=approval.pk,
            user=request.user,
            approve=choice == "approve",
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        return _approvals_page(request, errors={approval.pk: " ".join(exc.messages)}, status=422)
    done = f"{'Approved' if choice == 'approve' else 'Refused'}: {approval.customer.name}, {euro(approval.amount)}."
    if not request.htmx:
        messages.success(request, done)
        return redirect("flags:approvals")
    return _approvals_page(request, done=done)


def _approvals_page(request, *, errors=None, done="", status=200):
    pending = approvals_pending(user=request.user)
    for approval in pending:
        approval.error = (errors or {}).get(approval.pk, "")
    context = {"pending": pending, "decided": approvals_recently_decided(user=request.user), "done": done}
    if not request.htmx:
        template = APPROVALS
    else:
        template = f"{APPROVALS}#{'decided-response' if done else 'approvals-lists'}"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def flag(request, customer_id, kind):
    """One flag: why it stands where it stands, since when, its history; managers override it here."""
    customer = customer_for_user(request.user, customer_id)
    flags_ensure(customer_id=customer.pk)
    found = flag_with_history(customer=customer, kind=kind, finance=request.user.has_perm(Capability.VIEW_INVOICES))
    can_override = request.user.has_perm(Capability.MANAGE_FLAGS)
    form = FlagOverrideForm(kind=kind)
    if request.method == "POST":
        require(request.user, Capability.MANAGE_FLAGS)
        if request.POST.get("action") == "end":
            flag_override_end(flag_id=found.flag.pk, user=request.user)
            messages.success(request, f"The override of the {found.flag.get_kind_display().lower()} flag has ended.")
            return redirect("flags:flag", customer.pk, kind)
        form = FlagOverrideForm(request.POST, kind=kind)
        if form.is_valid():
            flag_override_set(
                customer_id=customer.pk,
                kind=kind,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
                until=form.until_moment(),
                user=request.user,
            )
            messages.success(
                request, f"{found.flag.get_kind_display()} flag overridden until {form.cleaned_data['until']:%d-%m-%Y}."
            )
            return redirect("customers:picture", customer.pk)
    status = 422 if request.method == "POST" else 200
    context = {"customer": customer, "form": form, "can_override": can_override, **found.as_context()}
    return render(request, "flags/flag.html", context, status=status)
