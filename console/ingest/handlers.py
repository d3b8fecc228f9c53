"""Each event type handed to the service of the app that owns what it describes.

A handler adapts the validated event to a service call and nothing more; the service writes
its record and the timeline entry in the caller's transaction.
"""

import re
from datetime import datetime

from django.contrib.auth import get_user_model

from console.callbacks.selectors import open_callback_case_for_reply
from console.cases import data_quality
from console.cases.models import Case
from console.commerce import services as commerce
from console.commerce.models import Invoice, Order
from console.customers.fragments import screen_pop
from console.timeline.models import TimelineEntry
from console.timeline.services import timeline_entry_record


class EventRejected(ValueError):
    """The event is valid JSON of the right shape but cannot be applied (422, with a field path)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _agent(username: str | None):
    if not username:
        return None
    return get_user_model().objects.filter(username=username, is_active=True).first()


def _case(customer, case_ref: str | None):
    if not case_ref:
        return None
    match = re.fullmatch(r"(?:K-)?0*(\d{1,12})", case_ref.strip(), re.ASCII | re.IGNORECASE)
    case = Case.objects.filter(pk=int(match[1]), customer=customer).first() if match else None
    if case is None:
        raise EventRejected("data.case_ref", f"This customer has no case {case_ref}.")
    return case


def interaction_recorded(*, customer, data, occurred_at: datetime, source: str, raw: dict):
    case = _case(customer, data.get("case_ref"))
    if case is None and data["channel"] == "sms" and data["direction"] == "inbound":
        # A text without a case number answers the text about the customer's callback (S5).
        case = open_callback_case_for_reply(customer.pk)
    timeline_entry_record(
        customer_id=customer.pk,
        kind=TimelineEntry.Kind.INTERACTION,
        channel=data["channel"],
        direction=data["direction"],
        summary=data["summary"],
        body=data.get("body", ""),
        occurred_at=occurred_at,
        actor_user=_agent(data.get("agent")),
        actor_source=source,
        case=case,
        raw=raw,
    )


def call_started(*, customer, data, occurred_at, source, raw):
    agent = _agent(data.get("agent"))
    to = (
        f" for {agent.get_full_name() or agent.username}"
        if agent
        else (f" on extension {data['extension']}" if data.get("extension") else "")
    )
    timeline_entry_record(
        customer_id=customer.pk,
        kind=TimelineEntry.Kind.CALL,
        channel="phone",
        summary=f"Incoming call{to}",
        occurred_at=occurred_at,
        actor_user=agent,
        actor_source=source,
        raw=raw,
    )
    if agent is not None:
        screen_pop(user_id=agent.pk, customer_id=customer.pk, reason=f"Incoming call from {data['from_number']}")


def call_ended(*, customer, data, occurred_at, source, raw):
    minutes, seconds = divmod(data["duration_s"], 60)
    outcome = f": {data['outcome']}" if data.get("outcome") else ""
    started = (
        TimelineEntry.objects.filter(
            customer=customer, kind=TimelineEntry.Kind.CALL, raw__data__call_id=data["call_id"]
        )
        .order_by("seq")
        .first()
    )
    timeline_entry_record(
        customer_id=customer.pk,
        kind=TimelineEntry.Kind.CALL,
        channel="phone",
        summary=f"Call ended after {minutes}:{seconds:02d}{outcome}",
        occurred_at=occurred_at,
        actor_user=started.actor_user if started else None,
        actor_source=source,
        raw=raw,
    )


def order_changed(*, customer, data, occurred_at, source, raw):
    commerce.order_record(
        customer_id=customer.pk,
        order_number=data["order_number"],
        status=data["status"],
        lines=data["lines"],
        total=data["total"],
        currency=data["currency"],
        occurred_at=occurred_at,
        source=source,
    )


def invoice_issued(*, customer, data, occurred_at, source, raw):
    if Invoice.objects.filter(invoice_number=data["invoice_number"]).exists():
        raise EventRejected("data.invoice_number", f"Invoice {data['invoice_number']} was already issued.")
    order = None
    if data.get("order_number"):
        order = Order.objects.filter(order_number=data["order_number"], customer=customer).first()
        if order is None:
            raise EventRejected("data.order_number", f"This customer has no order {data['order_number']}.")
    commerce.invoice_issue(
        customer_id=customer.pk,
        invoice_number=data["invoice_number"],
        amount=data["amount"],
        currency=data["currency"],
        issued_on=data["issued_on"],
        due_on=data["due_on"],
        order_id=order.pk if order else None,
        source=source,
    )


def payment_received(*, customer, data, occurred_at, source, raw):
    invoice = Invoice.objects.filter(invoice_number=data["invoice_number"], customer=customer).first()
    if invoice is None:
        raise EventRejected("data.invoice_number", f"This customer has no invoice {data['invoice_number']}.")
    commerce.payment_receive(
        invoice_id=invoice.pk, amount=data["amount"], received_on=data["received_on"], source=source
    )


def return_changed(*, customer, data, occurred_at, source, raw):
    commerce.return_record(
        customer_id=customer.pk,
        return_number=data["return_number"],
        order_number=data["order_number"],
        lines=data["lines"],
        reason=data["reason"],
        status=data["status"],
        occurred_at=occurred_at,
        source=source,
    )


MAIL_REASONS = {"addressee_unknown": "Addressee unknown", "moved": "Moved", "refused": "Refused", "other": "Other"}


def mail_returned(*, customer, data, occurred_at, source, raw):
    data_quality.mail_returned_record(
        customer_id=customer.pk,
        mail_ref=data["mail_ref"],
        reason=data["reason"],
        reason_label=MAIL_REASONS[data["reason"]],
        address=data["address"],
        occurred_at=occurred_at,
        source=source,
    )


def email_bounced(*, customer, data, occurred_at, source, raw):
    data_quality.email_bounce_record(
        customer_id=customer.pk, email=data["email"], reason=data["reason"], occurred_at=occurred_at, source=source
    )


def identity_checked(*, customer, data, occurred_at, source, raw):
    data_quality.identity_check_record(
        customer_id=customer.pk,
        document_type=data["document_type"],
        document_last4=data["document_last4"],
        expires_on=data["expires_on"],
        result=data["result"],
        checked_by=data.get("checked_by", ""),
        occurred_at=occurred_at,
        source=source,
    )


def wishlist_updated(*, customer, data, occurred_at, source, raw):
    commerce.wishlist_update(customer_id=customer.pk, items=data["items"], source=source, occurred_at=occurred_at)


HANDLERS = {
    "interaction.recorded": interaction_recorded,
    "call.started": call_started,
    "call.ended": call_ended,
    "order.placed": order_changed,
    "order.updated": order_changed,
    "invoice.issued": invoice_issued,
    "payment.received": payment_received,
    "return.opened": return_changed,
    "return.updated": return_changed,
    "mail.returned": mail_returned,
    "email.bounced": email_bounced,
    "identity.checked": identity_checked,
    "wishlist.updated": wishlist_updated,
}
