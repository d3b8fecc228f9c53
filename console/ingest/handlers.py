"""Each event type handed to the service of the app that owns what it describes.

A handler turns the validated event into one service call and nothing more; the service
checks the event against the records (raising ``console.rejected.Rejected`` on a field),
writes its record and the timeline entry in the caller's transaction, and returns the entry,
which the event API answers with.
"""

from console.callbacks.replies import interaction_report
from console.cases import data_quality
from console.commerce import services as commerce
from console.timeline.calls import call_end_record, call_start_record
from console.timeline.models import TimelineEntry

MAIL_REASONS = {"addressee_unknown": "Addressee unknown", "moved": "Moved", "refused": "Refused", "other": "Other"}


def interaction_recorded(*, customer, data, occurred_at, source, raw) -> TimelineEntry:
    return interaction_report(
        customer_id=customer.pk,
        channel=data["channel"],
        direction=data["direction"],
        summary=data["summary"],
        body=data.get("body", ""),
        case_ref=data.get("case_ref"),
        agent=data.get("agent"),
        occurred_at=occurred_at,
        source=source,
        raw=raw,
    )


def call_started(*, customer, data, occurred_at, source, raw) -> TimelineEntry:
    return call_start_record(
        customer_id=customer.pk,
        from_number=data["from_number"],
        agent=data.get("agent"),
        extension=data.get("extension") or "",
        occurred_at=occurred_at,
        source=source,
        raw=raw,
    )


def call_ended(*, customer, data, occurred_at, source, raw) -> TimelineEntry:
    return call_end_record(
        customer_id=customer.pk,
        call_id=data["call_id"],
        duration_s=data["duration_s"],
        outcome=data.get("outcome") or "",
        occurred_at=occurred_at,
        source=source,
        raw=raw,
    )


def order_changed(*, customer, data, occurred_at, source, raw) -> TimelineEntry:
    _order, entry = commerce.order_record(
        customer_id=customer.pk,
        order_number=data["order_number"],
        status=data["status"],
        lines=data["lines"],
        total=data["total"],
        currency=data["currency"],
        occurred_at=occurred_at,
        source=source,
    )
    return entry


def invoice_issued(*, customer, data, occurred_at, source, raw) -> TimelineEntry:
    _invoice, entry = commerce.invoice_issue(
        customer_id=customer.pk,
        invoice_number=data["invoice_number"],
        amount=data["amount"],
        currency=data["currency"],
        issued_on=data["issued_on"],
        due_on=data["due_on"],
        order_number=data.get("order_number"),
        source=source,
    )
    return entry


def payment_received(*, customer, data, occurred_at, source, raw) -> TimelineEntry:
    _payment, entry = commerce.payment_receive_for(
        customer_id=customer.pk,
        invoice_number=data["invoice_number"],
        amount=data["amount"],
        received_on=data["received_on"],
        source=source,
    )
    return entry


def return_changed(*, customer, data, occurred_at, source, raw) -> TimelineEntry:
    _return, entry = commerce.return_record(
        customer_id=customer.pk,
        return_number=data["return_number"],
        order_number=data["order_number"],
        lines=data["lines"],
        reason=data["reason"],
        status=data["status"],
        occurred_at=occurred_at,
        source=source,
    )
    return entry


def mail_returned(*, customer, data, occurred_at, source, raw) -> TimelineEntry:
    _address, entry = data_quality.mail_returned_record(
        customer_id=customer.pk,
        mail_ref=data["mail_ref"],
        reason=data["reason"],
        reason_label=MAIL_REASONS[data["reason"]],
        address=data["address"],
        occurred_at=occurred_at,
        source=source,
    )
    return entry


def email_bounced(*, customer, data, occurred_at, source, raw) -> TimelineEntry:
    _identifier, entry = data_quality.email_bounce_record(
        customer_id=customer.pk, email=data["email"], reason=data["reason"], occurred_at=occurred_at, source=source
    )
    return entry


def identity_checked(*, customer, data, occurred_at, source, raw) -> TimelineEntry:
    _customer, entry = data_quality.identity_check_record(
        customer_id=customer.pk,
        document_type=data["document_type"],
        document_last4=data["document_last4"],
        expires_on=data["expires_on"],
        result=data["result"],
        checked_by=data.get("checked_by", ""),
        occurred_at=occurred_at,
        source=source,
    )
    return entry


def wishlist_updated(*, customer, data, occurred_at, source, raw) -> TimelineEntry:
    _wishlist, entry = commerce.wishlist_update(
        customer_id=customer.pk, items=data["items"], source=source, occurred_at=occurred_at
    )
    return entry


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
