"""What the outside world says about reaching and identifying the customer, and the agent's
answer to it: a returned letter marks the address undeliverable and opens a data-quality case
in the back office (story S2); an agent confirming or correcting the address with the customer
settles it and closes that case; a bounced e-mail marks the address; an ID check updates the
customer's document (S5). Each writes its timeline entry, and the customer's flags follow
(``CUSTOMER_CHANGED``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, require
from console.accounts.services import audit_event_record
from console.cases.models import Case, Team
from console.cases.services import case_data_quality_close, case_open
from console.customers.identifiers import normalise_email
from console.customers.models import Address, Customer, Identifier
from console.customers.services import address_fields_clean
from console.reactions import CUSTOMER_CHANGED, happened
from console.timeline.models import Channel, TimelineEntry
from console.timeline.services import timeline_entry_record


def _address_key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


@transaction.atomic
def mail_returned_record(
    *,
    customer_id: int,
    mail_ref: str,
    reason: str,
    reason_label: str,
    address: str,
    occurred_at,
    source: str = "postroom",
) -> tuple[Address, TimelineEntry]:
    """A letter came back: the address is undeliverable from the first return (story S2).

    Marks the address with the evidence, puts a data-quality task in the back-office queue
    (one open task per customer is enough) and writes the returned letter on the timeline.
    """

    addresses = list(Address.objects.select_for_update().filter(customer_id=customer_id))
    match = next((a for a in addresses if _address_key(a.one_line) == _address_key(address)), None)
    if match is not None and match.status == Address.Status.MOVED:
        # The sender still uses an address the customer moved away from: nothing to settle with
        # the customer, who gave the new one; the letter goes on the timeline, nothing else.
        entry = timeline_entry_record(
            customer_id=customer_id,
            kind=TimelineEntry.Kind.MAIL_RETURNED,
            channel=Channel.POST,
            summary=f"Letter returned to sender ({reason_label.lower()}): {mail_ref}",
            body=f"Sent to {address}, which the customer moved away from ({match.status_evidence}). "
            "The sender should use the current address.",
            occurred_at=occurred_at,
            actor_source=source,
        )
        return match, entry
    match = match or next((a for a in addresses if a.is_primary), None)
    if match is None:
        match = Address.objects.create(customer_id=customer_id, street=address[:200], postal_code="", city="")
    match.status = Address.Status.UNDELIVERABLE
    match.status_evidence = f"Letter {mail_ref} returned: {reason_label.lower()}"[:300]
    match.status_changed_at = occurred_at
    match.save(update_fields=["status", "status_evidence", "status_changed_at"])
    # The task first, so the returned letter is the event's own (newest) entry.
    open_task = Case.objects.filter(
        customer_id=customer_id, kind=Case.Kind.DATA_QUALITY, status__in=Case.OPEN_STATUSES
    ).exists()
    if not open_task:
        case_open(
            customer_id=customer_id,
            title="Confirm address: post returned",
            kind=Case.Kind.DATA_QUALITY,
            team=Team.BACK_OFFICE,
            next_step="Confirm or correct the address with the customer",
            channel=Channel.POST,
            actor_source=source,
            occurred_at=occurred_at,
        )
    entry = timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.MAIL_RETURNED,
        channel=Channel.POST,
        summary=f"Letter returned to sender ({reason_label.lower()}): {mail_ref}",
        body=f"Sent to {address}. The address is now marked undeliverable.",
        occurred_at=occurred_at,
        actor_source=source,
    )
    happened(CUSTOMER_CHANGED, customer_id=customer_id, because=f"letter {mail_ref} returned")
    return match, entry


# How the timeline says where the agent spoke with the customer ("confirmed ... by phone").
_WITH_CUSTOMER = {
    "phone": "by phone",
    "store": "in the store",
    "email": "by e-mail",
    "sms": "by SMS",
    "chat": "in the chat",
    "chatbot": "through the chatbot",
    "post": "by post",
    "web": "on the website",
}


def _with_customer(channel: str) -> str:

    if channel not in Channel.values or channel == Channel.SYSTEM:
        raise ValidationError({"channel": f"'{channel}' is not a channel on which an agent talks to a customer."})
    return _WITH_CUSTOMER.get(channel) or f"on {Channel(channel).label}"


def _returned_mail_address(*, customer_id: int, address_id: int) -> Address:
    """The address post came back from, locked; someone may just have dealt with it."""
    address = Address.objects.select_for_update().get(customer_id=customer_id, pk=address_id)
    if address.status != Address.Status.UNDELIVERABLE:
        raise ValidationError("This address was already dealt with: post goes there again (see the timeline).")
    return address


def _returned_mail_evidence(address: Address) -> str:
    when = f", {timezone.localtime(address.status_changed_at):%d-%m-%Y}" if address.status_changed_at else ""
    return f"{address.status_evidence or 'post returned'}{when}"


def _returned_mail_settled(
    *, customer_id: int, user, channel: str, summary: str, body: str, resolution: str, because: str, audit: str
) -> None:
    """What confirming and correcting share: the timeline entry, the task closes (with the
    resolution, for the case page), the audit log and flags follow."""

    entry = timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.ADDRESS,
        channel=channel,
        direction=TimelineEntry.Direction.INTERNAL,
        summary=summary[:500],
        body=body,
        actor_user=user,
    )
    # Post to a second address may still be coming back: then the task stays open for that one.
    if not Address.objects.filter(customer_id=customer_id, status=Address.Status.UNDELIVERABLE).exists():
        case_data_quality_close(customer_id=customer_id, resolution=resolution, channel=channel, actor_user=user)
    # The audit trail names no address (docs/privacy.md: it outlives an erasure).
    audit_event_record(actor=user, action=audit, customer=entry.customer, detail=because)
    happened(CUSTOMER_CHANGED, customer_id=customer_id, because=because)


@transaction.atomic
def address_confirm(*, customer_id: int, address_id: int, user, channel: str) -> Address:
    """The customer says the address is right after all (the letters were for someone else),
    so post goes there again. Why it was doubted stays on the timeline (story S2)."""

    require(user, Capability.RECORD_INTERACTIONS)
    how = _with_customer(channel)
    address = _returned_mail_address(customer_id=customer_id, address_id=address_id)
    evidence = _returned_mail_evidence(address)
    now = timezone.now()
    address.status = Address.Status.OK
    address.status_evidence = f"Confirmed by the customer {how} on {timezone.localtime(now):%d-%m-%Y}"
    address.status_changed_at = now
    address.save(update_fields=["status", "status_evidence", "status_changed_at"])
    summary = f"Address confirmed with the customer {how}: {address.one_line}"
    _returned_mail_settled(
        customer_id=customer_id,
        user=user,
        channel=channel,
        summary=summary,
        body=f"Post had come back ({evidence}). The customer says the address is right, so post goes there again.",
        resolution=summary,
        because="address confirmed",
        audit=AuditEvent.Action.CONFIRMED_ADDRESS,
    )
    return address


@transaction.atomic
def address_correct(
    *,
    customer_id: int,
    address_id: int,
    user,
    channel: str,
    street: str,
    postal_code: str,
    city: str,
    country: str = "NL",
) -> Address:
    """The customer gives the address post should go to instead of the one it came back from.

    The old address is kept as a previous one with the status *moved* (not primary, never
    posted to again, and so shown to mailing systems through the API); the new one becomes the
    primary address (story S2).
    """

    require(user, Capability.RECORD_INTERACTIONS)
    how = _with_customer(channel)
    fields = address_fields_clean(street=street, postal_code=postal_code, city=city, country=country)
    old = _returned_mail_address(customer_id=customer_id, address_id=address_id)
    new_line = f"{fields['street']}, {fields['postal_code']} {fields['city']}"
    if _address_key(new_line) == _address_key(old.one_line):
        raise ValidationError(
            "That is the address the post came back from. If the customer says it is right, "
            "choose “Address is correct” instead."
        )
    evidence = _returned_mail_evidence(old)
    now = timezone.now()
    today = f"{timezone.localtime(now):%d-%m-%Y}"
    old.is_primary = False
    old.status = Address.Status.MOVED
    old.status_evidence = f"Moved away: the customer gave a new address {how} on {today}"
    old.status_changed_at = now
    old.save(update_fields=["is_primary", "status", "status_evidence", "status_changed_at"])
    others = Address.objects.select_for_update().filter(customer_id=customer_id).exclude(pk=old.pk)
    others.filter(is_primary=True).update(is_primary=False)
    # An address the customer had before (a second one on file) is reused, not doubled.
    new = next((a for a in others if _address_key(a.one_line) == _address_key(new_line)), None)
    new = new or Address(customer_id=customer_id)
    for name, value in fields.items():
        setattr(new, name, value)
    new.is_primary = True
    new.status = Address.Status.OK
    new.status_evidence = f"Given by the customer {how} on {today}"
    new.status_changed_at = now
    new.save()
    _returned_mail_settled(
        customer_id=customer_id,
        user=user,
        channel=channel,
        summary=f"Address corrected: {old.one_line} → {new.one_line}",
        body=f"Given by the customer {how}. Post to the old address had come back ({evidence}); "
        "it is kept as a previous address, marked moved, and nothing is sent there any more.",
        resolution=f"Address corrected with the customer {how}: {old.one_line} → {new.one_line}",
        because="address corrected",
        audit=AuditEvent.Action.CORRECTED_ADDRESS,
    )
    return new


@transaction.atomic
def email_bounce_record(
    *, customer_id: int, email: str, reason: str, occurred_at, source: str = "mailer"
) -> tuple[Identifier, TimelineEntry]:
    """An e-mail to the customer bounced: the address stays (it still identifies the customer)
    but is marked, so statements and messages go by post, and the data-quality flag says so."""

    value = normalise_email(email)
    identifier = (
        Identifier.objects.select_for_update().filter(customer_id=customer_id, kind=Identifier.Kind.EMAIL, value=value)
    ).first()
    if identifier is None:  # an address the sender had but we did not: keep it, marked
        identifier = Identifier.objects.create(customer_id=customer_id, kind=Identifier.Kind.EMAIL, value=value)
    identifier.bounced_at = occurred_at
    identifier.bounce_evidence = f"Bounced: {reason}"[:300]
    identifier.save(update_fields=["bounced_at", "bounce_evidence"])
    entry = timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.EMAIL_BOUNCED,
        channel=Channel.EMAIL,
        summary=f"E-mail to {value} bounced ({reason})",
        body="E-mail to this address is undeliverable; confirm or correct it with the customer.",
        occurred_at=occurred_at,
        actor_source=source,
    )
    happened(CUSTOMER_CHANGED, customer_id=customer_id, because="e-mail bounced")
    return identifier, entry


@transaction.atomic
def identity_check_record(
    *,
    customer_id: int,
    document_type: str,
    document_last4: str,
    expires_on,
    result: str,
    checked_by: str = "",
    occurred_at,
    source: str = "courier",
) -> tuple[Customer, TimelineEntry]:
    """A courier or store checked the customer's ID document; the record follows it on the spot (S5)."""

    customer = Customer.objects.select_for_update().get(pk=customer_id)
    customer.id_document_type = document_type
    customer.id_document_last4 = document_last4
    customer.id_document_expires_on = expires_on
    customer.id_document_check = result
    customer.id_document_checked_at = occurred_at
    customer.save(
        update_fields=[
            "id_document_type",
            "id_document_last4",
            "id_document_expires_on",
            "id_document_check",
            "id_document_checked_at",
        ]
    )
    words = {"valid": "valid", "expired": "expired", "mismatch": "does not match the record"}[result]
    by = f" by {checked_by}" if checked_by else ""
    entry = timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.IDENTITY,
        channel=Channel.SYSTEM,
        summary=f"ID checked{by}: {document_type} ···{document_last4} {words}, expires {expires_on:%d-%m-%Y}",
        occurred_at=occurred_at,
        actor_source=source,
    )
    happened(CUSTOMER_CHANGED, customer_id=customer_id, because="ID checked")
    return customer, entry
