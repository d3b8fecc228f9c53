"""The credit check on the customer's picture: an agent types an amount, sees the answer, and
asks a manager for an approval when it needs one (console/flags does the checking)."""

import re
from decimal import Decimal

from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from console.accounts.roles import Capability
from console.customers.selectors import customer_for_user
from console.flags.approvals import credit_approval_request
from console.flags.selectors import (
    credit_check,
)
from console.picture.views import picture_context

PICTURE = "customers/picture.html"
# An amount as an agent types it: 900, 900.00, 1250,50 or 1.250,50 (Dutch) or 1,250.50.
AMOUNT = re.compile(r"^\s*(?:EUR|€)?\s*([0-9][0-9.,\s]*)\s*$", re.IGNORECASE)


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
