from django.db import transaction

from console.customers.identifiers import normalise_email, normalise_handle, normalise_phone
from console.customers.models import Address, Customer, Identifier

_NORMALISERS = {
    Identifier.Kind.EMAIL: lambda raw: normalise_email(raw),
    Identifier.Kind.PHONE: lambda raw: normalise_phone(raw),
    Identifier.Kind.HANDLE: lambda raw: normalise_handle(raw),
    Identifier.Kind.SOURCE_ID: lambda raw: raw.strip(),
}


def identifier_add(*, customer_id: int, kind: str, value: str, namespace: str = "") -> Identifier:
    """Attach an identifier in its normalised form; adding one twice is harmless."""
    normalised = _NORMALISERS[kind](value)
    identifier, _ = Identifier.objects.get_or_create(
        customer_id=customer_id, kind=kind, namespace=namespace.lower(), value=normalised
    )
    return identifier


@transaction.atomic
def customer_create(
    *,
    customer_number: str,
    name: str,
    language: str = "nl",
    email: str = "",
    phone: str = "",
    handles: list[tuple[str, str]] = (),
    address: dict | None = None,
    **fields,
) -> Customer:
    """Create a customer with its first identifiers and address (all normalised)."""
    customer = Customer.objects.create(customer_number=customer_number.upper(), name=name, language=language, **fields)
    if email:
        identifier_add(customer_id=customer.pk, kind=Identifier.Kind.EMAIL, value=email)
    if phone:
        identifier_add(customer_id=customer.pk, kind=Identifier.Kind.PHONE, value=phone)
    for network, handle in handles:
        identifier_add(customer_id=customer.pk, kind=Identifier.Kind.HANDLE, value=handle, namespace=network)
    if address:
        Address.objects.create(customer=customer, **address)
    # The ID and loyalty flags depend on the customer alone; compute them from the start.
    from console.flags.tasks import flags_recompute_on_commit

    flags_recompute_on_commit(customer_id=customer.pk)
    return customer


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
) -> Address:
    """A letter came back: the address is undeliverable from the first return (story S2).

    Marks the address with the evidence, puts a data-quality task in the back-office queue
    (one open task per customer is enough) and writes the returned letter on the timeline.
    """
    from console.cases.models import Case, Team
    from console.cases.services import case_open
    from console.flags.tasks import flags_recompute_on_commit
    from console.timeline.models import Channel, TimelineEntry
    from console.timeline.services import timeline_entry_record

    addresses = list(Address.objects.select_for_update().filter(customer_id=customer_id))
    match = next((a for a in addresses if _address_key(a.one_line) == _address_key(address)), None)
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
    timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.MAIL_RETURNED,
        channel=Channel.POST,
        summary=f"Letter returned to sender ({reason_label.lower()}): {mail_ref}",
        body=f"Sent to {address}. The address is now marked undeliverable.",
        occurred_at=occurred_at,
        actor_source=source,
    )
    flags_recompute_on_commit(customer_id=customer_id)
    return match


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
) -> Customer:
    """A courier or store checked the customer's ID document; the record follows it on the spot (S5)."""
    from console.flags.tasks import flags_recompute_on_commit
    from console.timeline.models import Channel, TimelineEntry
    from console.timeline.services import timeline_entry_record

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
    timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.IDENTITY,
        channel=Channel.SYSTEM,
        summary=f"ID checked{by}: {document_type} ···{document_last4} {words}, expires {expires_on:%d-%m-%Y}",
        occurred_at=occurred_at,
        actor_source=source,
    )
    flags_recompute_on_commit(customer_id=customer_id)
    return customer
