from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, F, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from console.accounts.roles import Capability
from console.customers.identifiers import (
    InvalidIdentifier,
    normalise_email,
    normalise_handle,
    normalise_phone,
)
from console.customers.models import Address, Customer, Identifier
from console.flags.models import Flag


def customer_for_user(user, customer_id: int, *, follow_merge: bool = False) -> Customer:
    """The customer, if this user may see customers at all; 403 otherwise, 404 if unknown.

    Every view and API call that concerns one customer goes through here, so the check lives
    in one place. With ``follow_merge`` a merged-away record answers for the record it was
    merged into, so a note typed on a page opened before a merge lands on the survivor.
    """
    if not user.is_authenticated or not user.has_perm(Capability.VIEW_CUSTOMERS):
        raise PermissionDenied("Your role does not allow viewing customers.")
    customer = get_object_or_404(Customer, pk=customer_id)
    return customer.survivor() if follow_merge else customer


def _identifier_matches(query: str, *, email_prefix: bool) -> Q | None:
    """Exact matches on what the query can be read as: e-mail, phone number or handle (and with
    ``email_prefix`` the e-mail addresses it begins)."""
    conditions = Q()
    matched = False
    readings = (
        (Identifier.Kind.EMAIL, normalise_email),
        (Identifier.Kind.PHONE, normalise_phone),
        (Identifier.Kind.HANDLE, normalise_handle),
    )
    for kind, normalise in readings:
        try:
            value = normalise(query)
        except InvalidIdentifier:
            continue
        conditions |= Q(kind=kind, value=value)
        matched = True
    if email_prefix and "@" in query[1:]:
        # Part of an e-mail address, typed so far: a prefix match as the agent types.
        conditions |= Q(kind=Identifier.Kind.EMAIL, value__startswith=query.casefold())
        matched = True
    return conditions if matched else None


def _looks_like_a_name(query: str) -> bool:
    """Names have letters and no digits or @; skip the name scan for numbers and e-mails."""
    return any(ch.isalpha() for ch in query) and not any(ch.isdigit() or ch == "@" for ch in query)


def customer_search(*, query: str, limit: int = 20) -> list[Customer]:
    """Find customers by name, customer number, e-mail, phone, handle, order or invoice number.

    Exact identifier matches come first, then name matches. Each branch is one indexed
    query (trigram index on the name on PostgreSQL), so it stays fast at a million rows.
    """
    q = _search_text(query)
    if len(q) < 2:
        return []
    ranked = _identifier_ids(q, limit=limit, email_prefix=True)
    current = Customer.objects.filter(merged_into__isnull=True)
    upper = q.upper()
    if len(ranked) < limit and _looks_like_a_name(q):
        named = current.filter(name__icontains=q).order_by().values_list("id", flat=True)
        _add_new(ranked, named[: limit - len(ranked)])
    if len(ranked) < limit and upper[:2] == "C-":
        numbered = current.filter(customer_number__startswith=upper).order_by().values_list("id", flat=True)
        _add_new(ranked, numbered[:limit])
    # Orders, invoices and identifiers move on a merge, but one written to the old record
    # afterwards would still point there: merged-away records are never shown.
    customers = current.filter(pk__in=ranked).prefetch_related(
        # Sorted in Python: ordering in SQL makes the planner walk the (kind, value) index.
        Prefetch("identifiers", queryset=Identifier.objects.exclude(kind=Identifier.Kind.SOURCE_ID).order_by()),
        Prefetch("addresses", queryset=Address.objects.order_by()),
        Prefetch("flags", queryset=Flag.objects.order_by()),
    )
    by_id = {c.pk: c for c in customers}
    return [by_id[pk] for pk in ranked if pk in by_id][:limit]


def customer_exact_match(*, query: str) -> Customer | None:
    """The one customer the query names exactly (customer number, order or invoice number, e-mail
    address, phone number, handle), or None when it names none or several; a search for it
    opens that customer straight away."""
    q = _search_text(query)
    if len(q) < 2:
        return None
    ids = _identifier_ids(q, limit=2, email_prefix=False)
    found = list(Customer.objects.filter(pk__in=ids, merged_into__isnull=True)[:2])
    return found[0] if len(found) == 1 else None


def _search_text(query: str) -> str:
    # NUL cannot be stored or compared in PostgreSQL text; nobody searches for it.
    return " ".join(query.replace("\x00", "").split())


def _identifier_ids(q: str, *, limit: int, email_prefix: bool) -> list[int]:
    """Ids of the customers the query is an identifier of, in rank order: customer number, order,
    invoice, then e-mail, phone or handle."""
    from console.commerce.models import Invoice, Order

    ranked: list[int] = []
    # Every id query has .order_by() cleared: the models' default ordering would make the
    # database sort all matches (tens of thousands for a common name) before the LIMIT.
    upper = q.upper()
    # A merged-away record's number leads to the record it was merged into.
    numbered = Customer.objects.filter(customer_number=upper).order_by().values_list("id", "merged_into_id")
    _add_new(ranked, [survivor or pk for pk, survivor in numbered])
    for model, number in ((Order, "order_number"), (Invoice, "invoice_number")):
        _add_new(
            ranked, model.objects.filter(**{number: upper}).order_by().values_list("customer_id", flat=True)[:limit]
        )
    identifier_q = _identifier_matches(q, email_prefix=email_prefix)
    if identifier_q is not None:
        matches = Identifier.objects.filter(identifier_q).order_by().values_list("customer_id", flat=True)
        _add_new(ranked, matches[:limit])
    return ranked


def _add_new(ranked: list[int], ids) -> None:
    """Append the ids not ranked yet, in their order."""
    for pk in ids:
        if pk not in ranked:
            ranked.append(pk)


@dataclass
class InvoiceSummary:
    open_total: Decimal = Decimal("0")
    overdue_total: Decimal = Decimal("0")
    open_count: int = 0
    overdue_count: int = 0
    invoices: list = field(default_factory=list)


def invoice_summary(*, customer_id: int, with_list: bool) -> InvoiceSummary:
    """The open balance for everyone; the invoice list only for roles that may see it."""
    from console.commerce.models import Invoice

    today = timezone.localdate()
    totals = Invoice.objects.filter(customer_id=customer_id, paid_amount__lt=F("amount")).aggregate(
        open_total=Sum(F("amount") - F("paid_amount")),
        open_count=Count("id"),
        overdue_total=Sum(F("amount") - F("paid_amount"), filter=Q(due_on__lt=today)),
        overdue_count=Count("id", filter=Q(due_on__lt=today)),
    )
    summary = InvoiceSummary(
        open_total=totals["open_total"] or Decimal("0"),
        overdue_total=totals["overdue_total"] or Decimal("0"),
        open_count=totals["open_count"],
        overdue_count=totals["overdue_count"],
    )
    if with_list:
        summary.invoices = list(Invoice.objects.filter(customer_id=customer_id).order_by("-issued_on", "-id")[:20])
    return summary


FLAG_ORDER = ["credit", "loyalty", "data_quality", "id_document"]
# "What did they ask us lately?": shown at the top of the picture, over the timeline.
LATEST_QUESTIONS_SHOWN = 3
LATEST_QUESTIONS_DAYS = 7


def latest_questions(*, customer_id: int) -> list:
    """What the customer last said to the company, on any channel, in the past week: the
    chatbot question of last night at the top of the picture when they call this morning
    (story S3), whatever came in since (a web visit, an order update) and whatever the
    timeline filter is set to. One indexed query."""
    from console.timeline.models import FROM_CUSTOMER, TimelineEntry

    since = timezone.now() - timedelta(days=LATEST_QUESTIONS_DAYS)
    return list(
        TimelineEntry.objects.filter(FROM_CUSTOMER, customer_id=customer_id, occurred_at__gte=since).order_by(
            "-occurred_at", "-seq"
        )[:LATEST_QUESTIONS_SHOWN]
    )


@dataclass
class CustomerPicture:
    customer: Customer
    identifiers: list
    addresses: list
    flags: list
    orders: list
    lines_with_open_return: set
    open_returns: list
    cases: list
    wishlist_items: list
    invoices: InvoiceSummary
    show_invoice_list: bool
    latest_questions: list


def customer_picture(*, customer: Customer, user=None, show_invoice_list: bool | None = None) -> CustomerPicture:
    """Everything the customer picture shows but the timeline, in a fixed number of queries.

    Rendered for a user, or for an audience (``show_invoice_list``) when a live push is
    rendered once for everyone who may see invoices and once for everyone who may not.
    """
    from console.cases.models import Case
    from console.commerce.models import Order, Return, ReturnLine, WishListItem

    if show_invoice_list is None:
        show_invoice_list = user.has_perm(Capability.VIEW_INVOICES)
    flags = sorted(
        Flag.objects.filter(customer=customer).select_related("override_by"), key=lambda f: FLAG_ORDER.index(f.kind)
    )
    open_returns = list(
        Return.objects.filter(customer=customer, status__in=Return.OPEN_STATUSES)
        .select_related("order")
        .prefetch_related("lines__order_line")
    )
    return CustomerPicture(
        customer=customer,
        identifiers=list(customer.identifiers.all()),
        addresses=list(customer.addresses.all()),
        flags=flags,
        orders=list(Order.objects.filter(customer=customer).prefetch_related("lines").order_by("-placed_at")[:10]),
        lines_with_open_return=set(
            ReturnLine.objects.filter(
                return_request__customer=customer, return_request__status__in=Return.OPEN_STATUSES
            ).values_list("order_line_id", flat=True)
        ),
        open_returns=open_returns,
        cases=list(
            Case.objects.filter(customer=customer)
            .select_related("owner")
            .order_by(
                # open cases first, soonest due first; then the most recent closed ones
                models.Case(models.When(status__in=Case.OPEN_STATUSES, then=0), default=1),
                F("due_at").asc(nulls_last=True),
                "-created_at",
            )[:10]
        ),
        wishlist_items=list(WishListItem.objects.filter(wishlist__customer=customer)),
        invoices=invoice_summary(customer_id=customer.pk, with_list=show_invoice_list),
        show_invoice_list=show_invoice_list,
        latest_questions=latest_questions(customer_id=customer.pk),
    )
