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
    *, customer_number: str, name: str, language: str = "nl", email: str = "", phone: str = "",
    handles: list[tuple[str, str]] = (), address: dict | None = None, **fields,
) -> Customer:
    """Create a customer with its first identifiers and address (all normalised)."""
    customer = Customer.objects.create(customer_number=customer_number.upper(), name=name, language=language,
                                       **fields)
    if email:
        identifier_add(customer_id=customer.pk, kind=Identifier.Kind.EMAIL, value=email)
    if phone:
        identifier_add(customer_id=customer.pk, kind=Identifier.Kind.PHONE, value=phone)
    for network, handle in handles:
        identifier_add(customer_id=customer.pk, kind=Identifier.Kind.HANDLE, value=handle, namespace=network)
    if address:
        Address.objects.create(customer=customer, **address)
    return customer
