"""Credit approvals: an order the credit check does not allow by itself waits for a manager.

An order system (through the API) or an agent (from the customer's picture) asks; every
online manager gets a notice; one manager approves or refuses with a reason; the decision
goes on the customer's timeline, into the audit log, and back to whoever asked (``GET`` on
the request, or a webhook when one was given).
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, require
from console.accounts.services import audit_event_record
from console.customers.models import Customer
from console.flags import tasks
from console.flags.fragments import approval_decided, approval_requested
from console.flags.models import CreditApproval
from console.flags.selectors import CreditCheck, Decision, credit_check
from console.timeline.models import Channel, TimelineEntry
from console.timeline.services import timeline_entry_record
from console.ui.money import euro

WEBHOOK_TIMEOUT_SECONDS = 10


class AlreadyDecided(ValidationError):
    """Another manager (or this one, in another tab) decided first."""


class WebhookNotDelivered(ConnectionError):
    """The receiver could not be reached or failed (5xx): worth trying again later."""


@dataclass(frozen=True)
class ApprovalAsked:
    check: CreditCheck
    # None when the check allows the order: there is nothing for a manager to decide.
    approval: CreditApproval | None
    created: bool


def credit_approval_request(
    *,
    customer_id: int,
    amount: Decimal,
    currency: str = "EUR",
    order_reference: str = "",
    webhook_url: str = "",
    source: str = "",
    user=None,
) -> ApprovalAsked:
    """Ask a manager to approve an order the credit check does not allow by itself.

    Asked by a source system (``source``, through the API) or an agent (``user``). When the
    check allows the order nothing is created. The same asker sending the same order
    (reference and amount) again gets the request it already has, so a retried call does not
    put a second notice in front of the managers.
    """
    if user is not None:
        require(user, Capability.RECORD_INTERACTIONS)
    if currency != "EUR":
        raise ValidationError("Only EUR amounts are checked.")
    if webhook_url:
        webhook_url_check(webhook_url)
    with transaction.atomic():
        # One request per customer at a time, so a retry racing its original finds it.
        customer = Customer.objects.select_for_update().get(pk=customer_id)
        check = credit_check(customer=customer, amount=amount)
        if check.decision == Decision.ALLOWED:
            return ApprovalAsked(check=check, approval=None, created=False)
        if order_reference:
            earlier = CreditApproval.objects.filter(
                customer=customer,
                order_reference=order_reference,
                amount=amount,
                currency=currency,
                requested_by_source=source,
            ).first()
            if earlier is not None:
                return ApprovalAsked(check=check, approval=earlier, created=False)
        approval = CreditApproval.objects.create(
            customer=customer,
            amount=amount,
            currency=currency,
            order_reference=order_reference,
            check_decision=check.decision,
            check_reasons=check.reasons,
            requested_by_source=source,
            requested_by_user=user,
            webhook_url=webhook_url,
        )
        timeline_entry_record(
            customer_id=customer.pk,
            kind=TimelineEntry.Kind.CREDIT_APPROVAL,
            channel=Channel.SYSTEM,
            direction=TimelineEntry.Direction.INTERNAL,
            summary=f"{_order(approval, start=True)} waits for a manager's approval",
            body=" ".join(check.reasons),
            actor_user=user,
            actor_source=source,
            raw={"credit_approval": approval.pk, "check": check.decision},
        )
        approval_requested(approval)
    return ApprovalAsked(check=check, approval=approval, created=True)


def credit_approval_decide(*, approval_id: int, user, approve: bool, reason: str) -> CreditApproval:
    """A manager approves or refuses, once, with a reason the asker and the timeline get."""
    require(user, Capability.MANAGE_FLAGS)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give a reason: it goes on the customer's timeline and back to whoever asked.")
    if len(reason) > 500:
        raise ValidationError("Keep the reason under 500 characters.")
    with transaction.atomic():
        # The row lock makes a second manager deciding at the same moment wait for the first
        # and then find the request decided (SQLite writers are serialised anyway).
        approval = CreditApproval.objects.select_for_update().get(pk=approval_id)
        if approval.status != CreditApproval.Status.PENDING:
            raise AlreadyDecided(already_decided_text(approval))
        approval.status = CreditApproval.Status.APPROVED if approve else CreditApproval.Status.REFUSED
        approval.decided_by = user
        approval.decided_at = timezone.now()
        approval.decision_reason = reason
        approval.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        verb = "approved" if approve else "refused"
        entry = timeline_entry_record(
            customer_id=approval.customer_id,
            kind=TimelineEntry.Kind.CREDIT_APPROVAL,
            channel=Channel.SYSTEM,
            direction=TimelineEntry.Direction.INTERNAL,
            summary=f"{_order(approval, start=True)} {verb} by a manager",
            body=f"Reason: {reason}",
            actor_user=user,
            raw={"credit_approval": approval.pk, "status": approval.status},
        )
        audit_event_record(
            actor=user,
            action=AuditEvent.Action.DECIDED_CREDIT,
            customer=entry.customer,
            # Not the reason: free text about the customer, and the audit trail outlives an erasure.
            detail=f"{verb.capitalize()} {_order(approval)} (request {approval.pk})",
        )
        approval_decided(approval)
        if approval.webhook_url:
            tasks.credit_approval_webhook_on_commit(approval_id=approval.pk)
    return approval


def already_decided_text(approval: CreditApproval) -> str:
    who = (
        (approval.decided_by.get_full_name() or approval.decided_by.get_username())
        if approval.decided_by
        else "someone"
    )
    when = timezone.localtime(approval.decided_at).strftime("%d-%m-%Y %H:%M") if approval.decided_at else ""
    return f"This request was already {approval.get_status_display().lower()} by {who} at {when}.".replace(" at .", ".")


def _order(approval: CreditApproval, *, start: bool = False) -> str:
    """ "order WS-1 of EUR 900.00", or "Order ..." to start a sentence."""
    ref = f" {approval.order_reference}" if approval.order_reference else ""
    return f"{'Order' if start else 'order'}{ref} of {euro(approval.amount)}"


def webhook_url_check(url: str) -> None:
    """Only http(s) URLs (urllib would also open file:// and ftp:// ones), and only to hosts the
    admin allowed in ``WEBHOOK_ALLOWED_HOSTS``: a token must not make the console call into its
    own network. Checked when the request comes in and again before every send."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("The webhook URL must be an http:// or https:// address.")
    host = parts.hostname.lower()
    allowed = [h.lower() for h in settings.WEBHOOK_ALLOWED_HOSTS]
    if not any(host == h or (h.startswith(".") and host.endswith(h)) for h in allowed):
        raise ValidationError(
            f"This console sends webhooks only to hosts its admin allowed (WEBHOOK_ALLOWED_HOSTS); {host} is not "
            "one of them. Leave webhook_url out and read the decision with GET on the request instead."
        )


def approval_webhook_body(approval: CreditApproval) -> dict:
    return {
        "id": approval.pk,
        "customer": {"id": approval.customer_id, "customer_number": approval.customer.customer_number},
        "status": approval.status,
        "reason": approval.decision_reason,
        "decided_at": approval.decided_at,
        "amount": f"{approval.amount:.2f}",
        "currency": approval.currency,
        "order_reference": approval.order_reference,
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect is an answer we report, not one we follow (a POST must not turn into a GET).
    def redirect_request(self, *args, **kwargs):
        return None


def credit_approval_webhook_send(*, approval_id: int) -> None:
    """POST the decision to the asker's webhook once; raise WebhookNotDelivered to be retried.

    Idempotent: a delivered webhook is not sent again. A receiver may still see one twice
    (a worker dying between its answer and our commit), so the body carries the request id.
    """
    approval = CreditApproval.objects.select_related("customer").get(pk=approval_id)
    if approval.webhook_delivered_at or not approval.webhook_url or approval.status == CreditApproval.Status.PENDING:
        return
    webhook_url_check(approval.webhook_url)
    CreditApproval.objects.filter(pk=approval_id).update(webhook_attempts=F("webhook_attempts") + 1)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        approval.webhook_url,
        # DRF's encoder, so times read exactly as in GET /api/v1/credit-approvals/{id}.
        data=json.dumps(approval_webhook_body(approval), cls=JSONEncoder).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "Klantbeeld credit approvals"},
        method="POST",
    )
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        _webhook_failed(approval_id, f"Could not reach the webhook: {reason}")
        raise WebhookNotDelivered(str(reason)) from exc
    if status >= 500:
        _webhook_failed(approval_id, f"The webhook answered {status}.")
        raise WebhookNotDelivered(f"HTTP {status}")
    if status >= 300:
        # The receiver refuses this body (or moved): sending it again will not change that.
        _webhook_failed(approval_id, f"The webhook answered {status}; not sent again.")
        return
    CreditApproval.objects.filter(pk=approval_id).update(webhook_delivered_at=timezone.now(), webhook_error="")


def _webhook_failed(approval_id: int, error: str) -> None:
    CreditApproval.objects.filter(pk=approval_id).update(webhook_error=error[:300])
