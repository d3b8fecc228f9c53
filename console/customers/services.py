import re

from django.core.exceptions import ValidationError
from django.db import transaction

from console.accounts.models import AuditEvent
from console.accounts.services import audit_event_record
from console.customers.identifiers import normalise_email, normalise_handle, normalise_phone
from console.customers.models import Address, Customer, Identifier
from console.live.publish import customer_access_changed, dashboard_changed
from console.reactions import CUSTOMER_CHANGED, CUSTOMER_RESTRICTED, happened

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

    happened(CUSTOMER_CHANGED, customer_id=customer.pk)
    return customer


_DUTCH_POSTAL_CODE = re.compile(r"([1-9][0-9]{3}) ?([A-Za-z]{2})")


def address_fields_clean(*, street: str, postal_code: str, city: str, country: str = "NL") -> dict:
    """The address as it will be stored, or a ValidationError with a message per field.

    A Dutch postal code is stored the way PostNL prints it ("1234 AB"); for other countries
    formats vary too much to check more than that one is given.
    """
    street, postal_code, city = street.strip(), postal_code.strip(), city.strip()
    country = (country or "NL").strip().upper()
    errors = {}
    if not street:
        errors["street"] = "Enter the street and house number."
    elif len(street) > 200:
        errors["street"] = "Keep the street and house number under 200 characters."
    if not city:
        errors["city"] = "Enter the town or city."
    elif len(city) > 100:
        errors["city"] = "Keep the town or city under 100 characters."
    if not re.fullmatch(r"[A-Z]{2}", country):
        errors["country"] = "Enter the country as a two-letter code, e.g. NL, BE or DE."
    if country == "NL":
        dutch = _DUTCH_POSTAL_CODE.fullmatch(postal_code)
        if dutch:
            postal_code = f"{dutch[1]} {dutch[2].upper()}"
        else:
            errors["postal_code"] = "A Dutch postal code is 4 digits and 2 letters, e.g. 1234 AB."
    elif not postal_code:
        errors["postal_code"] = "Enter the postal code."
    elif len(postal_code) > 10:
        errors["postal_code"] = "A postal code has at most 10 characters."
    if errors:
        raise ValidationError(errors)
    return {"street": street, "postal_code": postal_code, "city": city, "country": country}


@transaction.atomic
def customer_restrict(*, customer_id: int, group, user, request=None) -> Customer:
    """Make the customer visible only to the members of ``group`` (None: to everyone again).

    Audited; once committed, open consoles on the customer look again whether their user may
    still see it (and close if not), open dashboards refetch, and the inbox and the team queues
    show or drop the customer's rows (the reaction ``CUSTOMER_RESTRICTED``). See docs/privacy.md.
    """
    customer = Customer.objects.select_for_update().get(pk=customer_id)
    before = customer.restricted_to
    if (before and before.pk) == (group and group.pk):
        return customer
    Customer.objects.filter(pk=customer.pk).update(restricted_to=group)
    customer.restricted_to = group
    if group is None:
        detail = f"No longer restricted (was: only {before.name})"
    else:
        detail = f"Restricted to {group.name}" + (f" (was: only {before.name})" if before else "")
    audit_event_record(
        actor=user, action=AuditEvent.Action.RESTRICTED_CUSTOMER, customer=customer, detail=detail, request=request
    )
    customer_access_changed(customer.pk)
    dashboard_changed()
    happened(CUSTOMER_RESTRICTED, customer_id=customer.pk)
    return customer
