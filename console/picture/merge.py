"""Merging two records of one person into one: the write and the reads of its confirmation screen.

The record that is kept (the survivor) takes over everything of the other one; the other
record stays behind, empty, with ``merged_into`` set, so its customer number keeps leading
to the survivor in search and in identity resolution.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, require
from console.accounts.services import audit_event_record
from console.callbacks.models import Callback
from console.cases.models import Case
from console.commerce.models import Invoice, Order, Return, WishList, WishListItem
from console.conversations.services import conversations_merge
from console.customers.models import Address, Customer, Identifier
from console.customers.selectors import hidden_customers, may_see
from console.flags.models import Flag
from console.flags.services import flags_recompute
from console.ingest.models import InboundEvent
from console.live.publish import customer_reload
from console.picture.search import customer_search
from console.timeline.models import Channel, TimelineEntry
from console.timeline.services import timeline_entry_record

# Entries are first parked above every real seq, so no final seq collides with one in place.
TEMPORARY_SEQ_OFFSET = 10**12
RENUMBER_BATCH_SIZE = 1000


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _on_date(moment) -> str:
    return f"{timezone.localtime(moment):%d-%m-%Y}"


def merged_notice(customer: Customer) -> str:
    """What an agent reads when a merged-away record sends them on to the survivor."""
    return f"{customer.customer_number} was merged into this record on {_on_date(customer.merged_at)}."


# --- Reads for the confirmation screen ---------------------------------------------------


@dataclass
class MergePreview:
    """What moves from ``merged`` to ``survivor``, counted."""

    entries: int
    orders: int
    invoices: int
    open_returns: int
    cases: int
    identifiers: int
    # Identifiers the survivor already has: they are not moved twice.
    duplicate_identifiers: int
    addresses: int


def merge_preview(*, survivor: Customer, merged: Customer) -> MergePreview:

    duplicates = _duplicate_identifier_ids(survivor=survivor, merged=merged)
    return MergePreview(
        entries=TimelineEntry.objects.filter(customer=merged).order_by().count(),
        orders=Order.objects.filter(customer=merged).order_by().count(),
        invoices=Invoice.objects.filter(customer=merged).order_by().count(),
        open_returns=Return.objects.filter(customer=merged, status__in=Return.OPEN_STATUSES).order_by().count(),
        cases=Case.objects.filter(customer=merged).order_by().count(),
        identifiers=Identifier.objects.filter(customer=merged).exclude(pk__in=duplicates).order_by().count(),
        duplicate_identifiers=len(duplicates),
        addresses=Address.objects.filter(customer=merged).order_by().count(),
    )


@dataclass
class MergeCandidates:
    """The other record an agent typed, or the records their text matches, or why there is none."""

    other: Customer | None = None
    choices: list = field(default_factory=list)
    error: str = ""


def merge_candidates_find(*, customer: Customer, text: str, user) -> MergeCandidates:
    """Read what the agent typed as a customer number first, then as search text; customers the
    agent may not see are not there to be found."""
    text = " ".join(text.split())
    if not text:
        return MergeCandidates()
    hidden = hidden_customers(user)
    by_number = (
        Customer.objects.filter(customer_number=text.upper())
        .exclude(pk__in=hidden)
        .select_related("merged_into")
        .first()
    )
    if by_number is not None:
        return _candidate_by_number(customer=customer, other=by_number)
    choices = [c for c in customer_search(query=text, hidden=hidden) if c.pk != customer.pk]
    if len(choices) == 1:
        return MergeCandidates(other=choices[0])
    if choices:
        return MergeCandidates(choices=choices)
    return MergeCandidates(
        error=f"No other customer matches “{text}”. Check the customer number, or search by "
        f"name, e-mail address or phone number."
    )


def _candidate_by_number(*, customer: Customer, other: Customer) -> MergeCandidates:
    if other.pk == customer.pk:
        return MergeCandidates(error=f"{other.customer_number} is this record. Enter the number of the other record.")
    if other.merged_into_id:
        survivor = other.merged_into
        return MergeCandidates(
            error=f"{other.customer_number} was already merged into "
            f"{survivor.customer_number} ({survivor.name}) on {_on_date(other.merged_at)}."
        )
    return MergeCandidates(other=other)


def merged_records(*, customer: Customer) -> list[Customer]:
    """The records that were merged into this one, oldest merge first (for the picture's banner)."""
    return list(customer.merged_from.order_by("merged_at").only("customer_number", "name", "merged_at", "merged_into"))


def default_survivor(first: Customer, second: Customer) -> Customer:
    """The older record is kept unless the agent chooses otherwise: it is the one people know."""
    return min(first, second, key=lambda c: (c.customer_since, c.created_at, c.pk))


# --- The merge ---------------------------------------------------------------------------


@transaction.atomic
def customer_merge(*, user, survivor_id: int, merged_id: int) -> Customer:
    """Move everything of one customer record to another, renumber the timeline, close the old record."""
    require(user, Capability.RECORD_INTERACTIONS)
    if survivor_id == merged_id:
        raise ValidationError("A record cannot be merged into itself. Choose two different records.")
    survivor, merged = _lock_pair(survivor_id=survivor_id, merged_id=merged_id)
    for record in (merged, survivor):
        if not may_see(user, record):
            raise ValidationError("The other record could not be found. Enter its number again.")
        if record.merged_into_id:
            raise ValidationError(
                f"{record.customer_number} was already merged into another record on "
                f"{_on_date(record.merged_at)}; it cannot be merged again."
            )
        if record.erased_at:
            raise ValidationError(
                f"{record.customer_number}'s personal data was erased at their request; it cannot be merged."
            )
    _restriction_carry(survivor=survivor, merged=merged)
    moved = _records_move(survivor=survivor, merged=merged)
    entry_count = _timeline_renumber(survivor=survivor, merged=merged)
    moved["entries"] = entry_count["merged"]
    Customer.objects.filter(pk=survivor.pk).update(
        last_seq=entry_count["total"], customer_since=min(survivor.customer_since, merged.customer_since)
    )
    summary = _merge_summary(merged=merged, moved=moved)
    timeline_entry_record(
        customer_id=survivor.pk,
        kind=TimelineEntry.Kind.MERGE,
        channel=Channel.SYSTEM,
        direction=TimelineEntry.Direction.INTERNAL,
        summary=summary,
        body=_merge_details(moved),
        actor_user=user,
    )
    # Seqs were renumbered: consoles open on either record reload instead of replaying.
    customer_reload(survivor.pk)
    customer_reload(merged.pk)
    # Records merged into this one earlier now lead straight to the survivor: one hop, never a chain.
    Customer.objects.filter(merged_into=merged).update(merged_into=survivor)
    Customer.objects.filter(pk=merged.pk).update(merged_into=survivor, merged_at=timezone.now())
    audit_event_record(
        actor=user,
        action=AuditEvent.Action.MERGED_CUSTOMERS,
        customer=survivor,
        # Numbers only: the summary names both records, and the audit trail outlives an erasure.
        detail=f"{merged.customer_number} into {survivor.customer_number}",
    )
    flags_recompute(customer_id=survivor.pk)
    survivor.refresh_from_db()
    return survivor


def _restriction_carry(*, survivor: Customer, merged: Customer) -> None:
    """One person's records: a restriction on either one holds for the record that is kept, so
    a merge never makes a restricted customer visible to more people (docs/privacy.md)."""
    if merged.restricted_to_id is None or merged.restricted_to_id == survivor.restricted_to_id:
        return
    if survivor.restricted_to_id is not None:
        raise ValidationError(
            "The two records are restricted to different groups. An administrator must restrict "
            "them to the same group before they can be merged."
        )
    Customer.objects.filter(pk=survivor.pk).update(restricted_to=merged.restricted_to_id)
    survivor.restricted_to_id = merged.restricted_to_id


def _lock_pair(*, survivor_id: int, merged_id: int) -> tuple[Customer, Customer]:
    # Always lock the lower primary key first: two agents merging the same pair in opposite
    # directions then queue up instead of deadlocking.
    locked = {pk: Customer.objects.select_for_update().get(pk=pk) for pk in sorted((survivor_id, merged_id))}
    return locked[survivor_id], locked[merged_id]


def _duplicate_identifier_ids(*, survivor: Customer, merged: Customer) -> list[int]:
    kept = set(Identifier.objects.filter(customer=survivor).order_by().values_list("kind", "namespace", "value"))
    return [
        pk
        for pk, kind, namespace, value in Identifier.objects.filter(customer=merged)
        .order_by()
        .values_list("id", "kind", "namespace", "value")
        if (kind, namespace, value) in kept
    ]


def _records_move(*, survivor: Customer, merged: Customer) -> dict[str, int]:
    """Hand every record of ``merged`` to ``survivor``; returns how many of each moved."""

    duplicates = _duplicate_identifier_ids(survivor=survivor, merged=merged)
    Identifier.objects.filter(pk__in=duplicates).delete()
    moved = {
        "identifiers": Identifier.objects.filter(customer=merged).update(customer=survivor),
        "duplicate_identifiers": len(duplicates),
        "addresses": _addresses_move(survivor=survivor, merged=merged),
        "orders": Order.objects.filter(customer=merged).update(customer=survivor),
        "invoices": Invoice.objects.filter(customer=merged).update(customer=survivor),
        "returns": Return.objects.filter(customer=merged).update(customer=survivor),
        "cases": Case.objects.filter(customer=merged).update(customer=survivor),
        "wish_list_items": _wishlist_move(survivor=survivor, merged=merged),
    }
    InboundEvent.objects.filter(customer=merged).update(customer=survivor)
    # Callbacks follow their cases: the "new time" text and SMS replies go by the survivor.
    Callback.objects.filter(customer=merged).update(customer=survivor)
    # The inbox's conversations, and the answers they wait for, are the survivor's now.
    conversations_merge(survivor_id=survivor.pk, merged_id=merged.pk)
    # The survivor's flags are recomputed from the merged records; the old record's are void.
    Flag.objects.filter(customer=merged).delete()
    return moved


def _addresses_move(*, survivor: Customer, merged: Customer) -> int:
    addresses = Address.objects.filter(customer=merged)
    if Address.objects.filter(customer=survivor, is_primary=True).exists():
        # The survivor's primary address stays the one letters go to.
        return addresses.update(customer=survivor, is_primary=False)
    return addresses.update(customer=survivor)


def _wishlist_move(*, survivor: Customer, merged: Customer) -> int:

    old = WishList.objects.filter(customer=merged).first()
    if old is None:
        return 0
    kept = WishList.objects.filter(customer=survivor).first()
    if kept is None:
        WishList.objects.filter(pk=old.pk).update(customer=survivor)
        return WishListItem.objects.filter(wishlist=old).count()
    count = WishListItem.objects.filter(wishlist=old).update(wishlist=kept)
    WishList.objects.filter(pk=kept.pk).update(updated_at=max(kept.updated_at, old.updated_at))
    old.delete()
    return count


def _timeline_renumber(*, survivor: Customer, merged: Customer) -> dict[str, int]:
    """Give the entries of both records the seqs 1..N on the survivor, in the order they happened.

    Two phases because of the unique (customer, seq) constraint: every entry is first parked
    at a temporary seq far above any real one (each record at its own offset, so the two
    never collide), then gets its final number.
    """
    in_order = list(
        TimelineEntry.objects.filter(customer__in=(survivor, merged))
        .order_by("occurred_at", "customer_id", "seq")
        .values_list("id", flat=True)
    )
    merged_count = TimelineEntry.objects.filter(customer=merged).update(
        customer=survivor, seq=F("seq") + 2 * TEMPORARY_SEQ_OFFSET
    )
    TimelineEntry.objects.filter(customer=survivor, seq__lt=TEMPORARY_SEQ_OFFSET).update(
        seq=F("seq") + TEMPORARY_SEQ_OFFSET
    )
    for start in range(0, len(in_order), RENUMBER_BATCH_SIZE):
        batch = in_order[start : start + RENUMBER_BATCH_SIZE]
        TimelineEntry.objects.bulk_update(
            [TimelineEntry(pk=pk, seq=seq) for seq, pk in enumerate(batch, start=start + 1)], ["seq"]
        )
    return {"merged": merged_count, "total": len(in_order)}


def _merge_summary(*, merged: Customer, moved: dict[str, int]) -> str:
    parts = [
        _plural(moved["entries"], "timeline entry", "timeline entries"),
        _plural(moved["orders"], "order"),
        _plural(moved["invoices"], "invoice"),
    ]
    parts += [_plural(moved[key], word) for key, word in (("returns", "return"), ("cases", "case")) if moved[key]]
    return f"Merged {merged.customer_number} ({merged.name}) into this record: {', '.join(parts)} moved"


def _merge_details(moved: dict[str, int]) -> str:
    identifiers = _plural(moved["identifiers"], "identifier")
    if moved["duplicate_identifiers"]:
        identifiers += f" (and {moved['duplicate_identifiers']} this record already had)"
    return (
        f"Also moved: {identifiers}, {_plural(moved['addresses'], 'address', 'addresses')}, "
        f"{_plural(moved['wish_list_items'], 'wish list item')}. "
        f"Timeline entries of both records are numbered again in the order they happened."
    )
