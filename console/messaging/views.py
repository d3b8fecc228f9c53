from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from console.accounts.roles import Capability, require
from console.customers.selectors import customer_for_user, invoice_summary
from console.messaging.models import OutboundMessage
from console.messaging.selectors import period_of, statement_panel
from console.messaging.services import message_retry
from console.messaging.statements import Outcome, statement_copy_send, statement_send
from console.timeline.models import Channel
from console.timeline.selectors import timeline_for_user

TEMPLATE = "messaging/statement.html"


def _get_customer_for_sender(request, customer_id):
    """The customer, if this user may send them messages about their invoices (not store staff)."""
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    require(request.user, Capability.SEND_MESSAGES)
    require(request.user, Capability.VIEW_INVOICES)
    return customer


def _panel_context(customer, **extra) -> dict:
    today = timezone.localdate()
    open_count = invoice_summary(customer_id=customer.pk, with_list=False).open_count
    return {"customer": customer, "panel": statement_panel(customer_id=customer.pk, today=today, open_count=open_count)}


@require_GET
def statement(request, customer_id):
    """This period's statement in the invoices panel; polled while its messages are on their way."""
    customer = _get_customer_for_sender(request, customer_id)
    return render(request, f"{TEMPLATE}#statement-actions", _panel_context(customer))


@require_POST
def statement_send_view(request, customer_id):
    """ "Send statement" (this period's, once) or, with ``copy``, "Send a copy" (once a day)."""
    customer = _get_customer_for_sender(request, customer_id)
    period = period_of(timezone.localdate())
    notice = error = ""
    try:
        if request.POST.get("copy") == "1":
            statement_copy_send(customer_id=customer.pk, period=period, requested_by=request.user)
            notice = "A copy of the statement is on its way."
        else:
            result = statement_send(customer_id=customer.pk, period=period, requested_by=request.user)
            notice = _said(result)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _answer(request, customer, notice=notice, error=error)


def _said(result) -> str:
    if result.outcome == Outcome.ALREADY_SENT:
        when = timezone.localtime(result.statement.created_at)
        return f"This period's statement already went out on {when:%d-%m-%Y} at {when:%H:%M}; you can send a copy."
    if result.outcome == Outcome.NOTHING_OPEN:
        return "There are no open invoices, so there is no statement to send."
    return "The statement is on its way."


@require_POST
def message_retry_view(request, customer_id, message_id):
    """Send a failed or unconfirmed message again; the agent accepts it may arrive twice."""
    customer = _get_customer_for_sender(request, customer_id)
    notice = error = ""
    try:
        message_retry(user=request.user, message_id=message_id, customer_id=customer.pk)
        notice = "The message is being sent again."
    except OutboundMessage.DoesNotExist:
        error = "That message does not exist (any more)."
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _answer(request, customer, notice=notice, error=error)


def _answer(request, customer, *, notice: str, error: str):
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif notice:
            messages.success(request, notice)
        return redirect(customer)
    context = _panel_context(customer)
    context.update(
        notice=notice,
        error=error,
        oob=True,
        timeline=timeline_for_user(user=request.user, customer_id=customer.pk),
        channels=Channel.choices,
    )
    return render(request, f"{TEMPLATE}#send-response", context, status=422 if error else 200)
