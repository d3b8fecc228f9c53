"""Identity resolution: which customer does an event from a source system concern?

Identifiers arrive already normalised (ingest.schemas). They are tried in order of
trust — customer number, the source's own id for the customer, then e-mail, phone and
social handle — and every identifier the event brings that the customer lacks is attached.
"""

import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from console.customers.models import Customer, Identifier
from console.customers.services import customer_create
from console.live.publish import panels_changed


class ResolutionError(Exception):
    """The event cannot be tied to one customer; carries what an integrator needs to act."""

    def __init__(self, message: str, candidates: list[Customer] = ()):
        super().__init__(message)
        self.candidates = list(candidates)


class NoCustomerMatch(ResolutionError):
    pass


class IdentityConflict(ResolutionError):
    pass


@dataclass
class CustomerRef:
    customer_number: str = ""
    email: str = ""
    phone: str = ""
    handle: dict | None = None
    external_id: str = ""
    name: str = ""
    language: str = "nl"
    # Identifiers as (kind, namespace, value), in the order they are matched.
    identifiers: list = field(default_factory=list)

    @classmethod
    def from_event(cls, block: dict, *, source: str) -> "CustomerRef":
        ref = cls(**{k: v for k, v in block.items() if k in cls.__dataclass_fields__ and v})
        if ref.external_id:
            ref.identifiers.append((Identifier.Kind.SOURCE_ID, source, ref.external_id))
        if ref.email:
            ref.identifiers.append((Identifier.Kind.EMAIL, "", ref.email))
        if ref.phone:
            ref.identifiers.append((Identifier.Kind.PHONE, "", ref.phone))
        if ref.handle:
            ref.identifiers.append((Identifier.Kind.HANDLE, ref.handle["network"], ref.handle["value"]))
        return ref


def _holders(ref: CustomerRef) -> list[tuple[str, str, str, int]]:
    """(kind, namespace, value, customer id) of every record holding one of the event's identifiers."""
    if not ref.identifiers:
        return []
    condition = Q()
    for kind, namespace, value in ref.identifiers:
        condition |= Q(kind=kind, namespace=namespace, value=value)
    rows = Identifier.objects.filter(condition).order_by().values_list("kind", "namespace", "value", "customer_id")
    return list(rows)


def _matches(ref: CustomerRef, holders: list) -> list[Customer]:
    """Customers the event's identifiers (other than the number) point at, most trusted first."""
    order = [k for k, _, _ in ref.identifiers]
    ids = []
    for _, _, _, customer_id in sorted(holders, key=lambda r: order.index(r[0])):
        if customer_id not in ids:
            ids.append(customer_id)
    # Only what following a merge, or naming the candidates of a conflict, needs; the event locks
    # and reads the survivor's row itself.
    by_id = Customer.objects.only("id", "merged_into_id", "customer_number", "name").in_bulk(ids)
    survivors = []
    for pk in ids:
        customer = by_id[pk].survivor()
        if customer not in survivors:
            survivors.append(customer)
    return survivors


def customer_resolve(*, ref: CustomerRef, source: str, may_create: bool) -> tuple[Customer, bool]:
    """Return (customer, created). Raises NoCustomerMatch or IdentityConflict."""
    if may_create:
        _identifiers_lock(ref)
    by_number = None
    if ref.customer_number:
        by_number = Customer.objects.filter(customer_number=ref.customer_number).first()
        if by_number is None and not may_create:
            raise NoCustomerMatch(f"No customer has number {ref.customer_number}.")
    holders = _holders(ref)
    matches = _matches(ref, holders)
    if by_number is not None:
        customer = by_number.survivor()
    elif len(matches) > 1:
        raise IdentityConflict(
            "The identifiers point at different customers; merge them in the console, "
            "or send the customer_number to choose one.",
            matches[:2],
        )
    elif matches:
        customer = matches[0]
    elif may_create:
        return _create(ref, source), True
    else:
        raise NoCustomerMatch(
            "No customer matches these identifiers, and this token may not create customers (scope customers:create)."
        )
    _attach_new_identifiers(customer, ref, holders, taken={m.pk for m in matches} - {customer.pk})
    return customer, False


def _identifiers_lock(ref: CustomerRef) -> None:
    """Two events about the same new person, at the same moment, must not create two records:
    on PostgreSQL each identifier is locked (until the transaction ends) before it is looked up.
    Sorted, so two events never wait on each other crosswise. SQLite runs one writer at a time."""
    if connection.vendor != "postgresql":
        return
    keys = sorted(
        {f"{kind}:{namespace}:{value}" for kind, namespace, value in ref.identifiers}
        | ({f"number:{ref.customer_number}"} if ref.customer_number else set())
    )
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def _attach_new_identifiers(customer: Customer, ref: CustomerRef, holders: list, *, taken: set[int]) -> None:
    """Add what the event knows and the customer lacks, unless another customer holds it (then
    an agent merges them). ``holders`` already says who holds each of the event's identifiers,
    so an event that brings nothing new costs no query here."""
    have = {(k, n, v) for k, n, v, owner in holders if owner == customer.pk}
    owned = {(k, n, v) for k, n, v, owner in holders if owner in taken}
    new = [i for i in ref.identifiers if i not in have and i not in owned]
    if new:
        Identifier.objects.bulk_create(
            [Identifier(customer=customer, kind=k, namespace=n, value=v) for k, n, v in new], ignore_conflicts=True
        )
        # The header lists them and the messages panel may write on them: open pictures look again.
        panels_changed(customer.pk)


def _create(ref: CustomerRef, source: str) -> Customer:
    name = ref.name or ref.email or ref.phone or (ref.handle or {}).get("value") or "Unknown customer"
    # The number comes from the row's id, so it is unique without a counter; a source may
    # also bring its own number.
    with transaction.atomic():
        try:
            customer = customer_create(
                customer_number=ref.customer_number or f"TMP-{secrets.token_hex(6)}",
                name=name,
                language=ref.language or "nl",
            )
        except IntegrityError:
            raise IdentityConflict(
                f"Customer number {ref.customer_number} is being created by another event."
            ) from None
    if not ref.customer_number:
        customer.customer_number = f"C-{customer.pk:07d}"
        customer.save(update_fields=["customer_number"])
    Identifier.objects.bulk_create(
        [Identifier(customer=customer, kind=k, namespace=n, value=v) for k, n, v in ref.identifiers],
        ignore_conflicts=True,
    )
    return customer
