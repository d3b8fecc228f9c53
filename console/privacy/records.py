"""Every kind of record Klantbeeld keeps about a customer, and what erasure does with each.

One list serves both GDPR requests: the export (art. 15) writes every part, the erasure
(art. 17) applies each part's rule. ``tests/privacy/test_records.py`` fails when a model that
points at a customer (directly or through a record listed here) is missing, so a new kind of
record cannot slip past either request.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet

from console.accounts.models import AuditEvent
from console.callbacks.models import Callback
from console.cases.models import Case
from console.commerce.models import Invoice, Order, OrderLine, Payment, Return, ReturnLine, WishList, WishListItem
from console.conversations.models import Conversation
from console.customers.models import Address, Customer, Identifier
from console.flags.models import CreditApproval, Flag, FlagChange
from console.ingest.models import InboundEvent
from console.journeys.models import CaseJourney, HeardEvent
from console.messaging.models import OutboundMessage, Statement
from console.timeline.models import TimelineEntry


class Erasure(Enum):
    DELETE = "deleted"
    # Kept for the fiscal retention period: records with only what the law needs, nothing
    # that names the person once the customer record is pseudonymised.
    KEEP_FISCAL = "kept (fiscal retention)"
    # Kept as the record of who did what (append-only); its details name no customer.
    KEEP_AUDIT = "kept (audit trail)"
    # Kept without its personal content.
    BLANK = "kept without personal data"


@dataclass(frozen=True)
class Part:
    key: str  # the JSON key of the export
    label: str  # the heading of the readable export
    model: type[Model]
    rows: Callable[[list[int]], QuerySet]  # the records of these customer ids (a customer and the ones merged into it)
    erasure: Erasure
    # For BLANK: the fields erasure empties, with the value they get.
    blank: dict | None = None


def _of(field: str) -> Callable[[list[int]], Q]:
    return lambda ids: Q(**{f"{field}__in": ids})


def _part(key, label, model, field, erasure, *, blank=None, order=("pk",)) -> Part:
    rows = lambda ids: model.objects.filter(_of(field)(ids)).order_by(*order)  # noqa: E731
    return Part(key, label, model, rows, erasure, blank)


PARTS: list[Part] = [
    _part("customer", "Customer", Customer, "pk", Erasure.BLANK),  # pseudonymised by erasure.py
    _part("identifiers", "Identifiers (phone, e-mail, accounts)", Identifier, "customer", Erasure.DELETE),
    _part("addresses", "Addresses and their history", Address, "customer", Erasure.DELETE),
    _part("timeline", "Timeline", TimelineEntry, "customer", Erasure.DELETE, order=("customer", "seq")),
    _part("orders", "Orders", Order, "customer", Erasure.KEEP_FISCAL, order=("placed_at", "pk")),
    _part("order_lines", "Order lines", OrderLine, "order__customer", Erasure.KEEP_FISCAL),
    _part("invoices", "Invoices", Invoice, "customer", Erasure.KEEP_FISCAL, order=("issued_on", "pk")),
    # The bank's reference often holds the payer's name; amount, date and invoice are what the books need.
    _part("payments", "Payments", Payment, "invoice__customer", Erasure.BLANK, blank={"reference": ""}),
    _part("returns", "Returns", Return, "customer", Erasure.KEEP_FISCAL),
    _part("return_lines", "Return lines", ReturnLine, "return_request__customer", Erasure.KEEP_FISCAL),
    _part("wish_lists", "Wish list", WishList, "customer", Erasure.DELETE),
    _part("wish_list_items", "Wish list items", WishListItem, "wishlist__customer", Erasure.DELETE),
    _part("cases", "Cases", Case, "customer", Erasure.DELETE),
    _part("journeys", "Guided journeys", CaseJourney, "case__customer", Erasure.DELETE),
    _part("journey_events", "Events heard by journeys", HeardEvent, "journey__case__customer", Erasure.DELETE),
    _part("callbacks", "Callbacks", Callback, "customer", Erasure.DELETE),
    _part("conversations", "Conversations", Conversation, "customer", Erasure.DELETE),
    _part("messages", "Messages sent", OutboundMessage, "customer", Erasure.DELETE),
    _part("statements", "Invoice statements", Statement, "customer", Erasure.DELETE),
    _part("flags", "Flags and overrides", Flag, "customer", Erasure.DELETE),
    _part("flag_history", "Flag history", FlagChange, "customer", Erasure.DELETE),
    _part("credit_approvals", "Credit approvals", CreditApproval, "customer", Erasure.DELETE),
    _part(
        "raw_events", "Events as source systems sent them", InboundEvent, "customer", Erasure.BLANK, blank={"body": {}}
    ),
    _part(
        "access",
        "Who viewed or changed the record",
        AuditEvent,
        "customer",
        Erasure.KEEP_AUDIT,
        order=("created_at", "pk"),
    ),
]

# Erasure deletes in this order (children before what they point at).
DELETE_ORDER = [
    "journey_events",
    "journeys",
    "callbacks",
    "timeline",
    "conversations",
    "messages",
    "statements",
    "cases",
    "wish_list_items",
    "wish_lists",
    "flag_history",
    "flags",
    "credit_approvals",
    "identifiers",
    "addresses",
]


def customer_ids(customer: Customer) -> list[int]:
    """The customer and the records merged into it: one person, one request. Call it with the
    survivor (``Customer.survivor()``): a merged-away record's data lives there."""
    return [customer.pk, *Customer.objects.filter(merged_into=customer).values_list("pk", flat=True)]


def part(key: str) -> Part:
    return next(p for p in PARTS if p.key == key)


def row_data(row: Model, usernames: dict[int, str]) -> dict:
    """One record as plain data: every column; a user as their username, another record by id."""
    data = {}
    user_model = get_user_model()
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if field.is_relation and field.related_model is user_model:
            data[field.name] = usernames.get(value) if value is not None else None
        elif field.is_relation:
            data[f"{field.name}_id"] = value
        else:
            data[field.name] = value
    return data


def user_names() -> dict[int, str]:
    """Every agent's username by id: the exports name who did what (agents, not customers)."""
    return dict(get_user_model().objects.values_list("pk", "username"))
