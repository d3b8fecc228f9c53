"""Credit approvals for managers, and the credit check on the customer's picture."""

import re
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from console.accounts.roles import Capability, require
from console.commerce.money import euro
from console.customers.selectors import customer_for_user
from console.customers.views import picture_context
from console.flags.approvals import credit_approval_decide, credit_approval_request
from console.flags.forms import FlagOverrideForm
from console.flags.models import CreditApproval
from console.flags.selectors import (
    approval_notices,
    approvals_pending,
    approvals_recently_decided,
    credit_check,
    flag_with_history,
)
from console.flags.services import flag_override_end, flag_override_set, flags_ensure

APPROVALS = "flags/approvals.html"
PICTURE = "customers/picture.html"
# An amount as an agent types it: 900, 900.00, 1250,50 or 1.250,50 (Dutch) or 1,250.50.
AMOUNT = re.compile(r"^\s*(?:EUR|€)?\s*([0-9][0-9.,\s]*)\s*$", re.IGNORECASE)


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
    pending = approvals_pending()
    for approval in pending:
        approval.error = (errors or {}).get(approval.pk, "")
    context = {"pending": pending, "decided": approvals_recently_decided(), "done": done}
    if not request.htmx:
        template = APPROVALS
    else:
        template = f"{APPROVALS}#{'decided-response' if done else 'approvals-lists'}"
    return render(request, template, context, status=status)


@require_GET
def check(request, customer_id):
    """The credit check for an amount an agent types on the customer's picture (every role)."""
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    amount = amount_parse(request.GET.get("amount", ""))
    context = {"customer": customer, "credit_amount": request.GET.get("amount", "")[:20]}
    if amount is None:
        context["credit_error"] = "Type the order amount in euros, e.g. 900 or 1250.50."
    else:
        context["credit"] = credit_check(
            customer=customer, amount=amount, finance=request.user.has_perm(Capability.VIEW_INVOICES)
        )
        context["credit_amount"] = f"{amount:.2f}"
    return _credit_panel(request, customer, context, status=422 if amount is None else 200)


@require_POST
def ask_approval(request, customer_id):
    """From a check that needs approval (or refuses), the agent asks a manager."""
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    amount = amount_parse(request.POST.get("amount", ""))
    context = {"customer": customer, "credit_amount": request.POST.get("amount", "")[:20]}
    if amount is None:
        context["credit_error"] = "Type the order amount in euros, e.g. 900 or 1250.50."
        return _credit_panel(request, customer, context, status=422)
    asked = credit_approval_request(
        customer_id=customer.pk,
        amount=amount,
        order_reference=request.POST.get("order_reference", "").strip()[:60],
        user=request.user,
    )
    # The service's check is worded for finance roles; the agent gets it as their role may see it.
    finance = request.user.has_perm(Capability.VIEW_INVOICES)
    context.update(
        credit=credit_check(customer=customer, amount=amount, finance=finance),
        credit_amount=f"{amount:.2f}",
        credit_approval=asked.approval,
    )
    return _credit_panel(request, customer, context)


def _credit_panel(request, customer, context, *, status=200):
    if request.htmx:
        return render(request, f"{PICTURE}#credit-check", context, status=status)
    # Without JavaScript the form reloads the whole picture with the answer in its panel.
    return render(request, PICTURE, picture_context(request, customer) | context, status=status)


def amount_parse(text: str) -> Decimal | None:
    """An order amount as typed, or None. The last "," or "." followed by one or two digits is
    the decimal separator; other separators group thousands."""
    match = AMOUNT.match(text or "")
    if not match:
        return None
    digits = "".join(match.group(1).split())
    decimals = ""
    sep = max(digits.rfind(","), digits.rfind("."))
    if sep != -1 and 1 <= len(digits) - sep - 1 <= 2:
        digits, decimals = digits[:sep], digits[sep + 1 :]
    digits = digits.replace(",", "").replace(".", "")
    if not digits.isdigit() or len(digits) > 10:
        return None
    return Decimal(f"{digits}.{decimals or '0'}")


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
