from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from console.accounts.roles import Capability, require
from console.commerce.selectors import invoice_summary
from console.customers.selectors import customer_for_user
from console.messaging.forms import MessageForm
from console.messaging.models import OutboundMessage
from console.messaging.selectors import (
    messages_panel,
    period_of,
    reachable_channels,
    statement_panel,
    timeline_with_statuses,
)
from console.messaging.services import message_retry, message_to_customer
from console.messaging.statements import Outcome, statement_copy_send, statement_send
from console.timeline.models import Channel

TEMPLATE = "messaging/statement.html"
MESSAGES_TEMPLATE = "messaging/messages.html"


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
    """Send a failed or unconfirmed message again; the agent accepts it may arrive twice.

    A statement's message answers with the invoices panel's statement part, any other with the
    messages panel (the button was in one of them)."""
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    require(request.user, Capability.SEND_MESSAGES)
    statement = OutboundMessage.objects.filter(pk=message_id, customer=customer, statement__isnull=False).exists()
    if statement:
        require(request.user, Capability.VIEW_INVOICES)
    notice = error = ""
    try:
        message_retry(user=request.user, message_id=message_id, customer_id=customer.pk)
        notice = "The message is being sent again."
    except OutboundMessage.DoesNotExist:
        error = "That message does not exist (any more)."
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if statement:
        return _answer(request, customer, notice=notice, error=error)
    return _answer(request, customer, notice=notice, error=error, panel=_messages_context)


@require_GET
def messages_panel_view(request, customer_id):
    """The messages panel on its own (after a live change, or for a page without the picture)."""
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    return render(request, f"{MESSAGES_TEMPLATE}#messages-panel", _messages_context(customer, request.user))


@require_POST
def message_send_view(request, customer_id):
    """ "Write to the customer": the agent's own text, by SMS, e-mail or a social reply."""
    customer = customer_for_user(request.user, customer_id, follow_merge=True)
    require(request.user, Capability.SEND_MESSAGES)
    form = MessageForm(request.POST, channels=[c for c, _, _ in reachable_channels(customer=customer)])
    notice = error = ""
    if form.is_valid():
        try:
            message, _ = message_to_customer(
                customer_id=customer.pk,
                template_key="agent_message",
                channel=form.cleaned_data["channel"],
                context={"text": form.cleaned_data["text"], "subject": form.cleaned_data["subject"]},
                actor_user=request.user,
            )
            notice = f"Your {message.get_channel_display()} is on its way."
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(m for messages in form.errors.values() for m in messages)
    return _answer(
        request,
        customer,
        notice=notice,
        error=error,
        panel=_messages_context,
        form={} if notice else {f"form_{k}": request.POST.get(k, "") for k in ("channel", "subject", "text")},
    )


def _messages_context(customer, user) -> dict:
    return {
        "customer": customer,
        "panel": messages_panel(customer=customer),
        "may_send": user.has_perm(Capability.SEND_MESSAGES),
    }


def _answer(request, customer, *, notice: str, error: str, panel=None, form: dict | None = None):
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif notice:
            messages.success(request, notice)
        return redirect(customer)
    context = panel(customer, request.user) if panel else _panel_context(customer)
    context.update(form or {})
    context.update(
        notice=notice,
        error=error,
        oob=True,
        timeline=timeline_with_statuses(user=request.user, customer_id=customer.pk),
        channels=Channel.choices,
    )
    template = MESSAGES_TEMPLATE if panel else TEMPLATE
    return render(request, f"{template}#send-response", context, status=422 if error else 200)
