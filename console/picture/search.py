from django.db.models import Prefetch, Q, QuerySet

from console.commerce.models import Invoice, Order
from console.customers.identifiers import (
    InvalidIdentifier,
    normalise_email,
    normalise_handle,
    normalise_phone,
)
from console.customers.models import Address, Customer, Identifier
from console.flags.models import Flag


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


def customer_search(*, query: str, hidden: QuerySet | None, limit: int = 20) -> list[Customer]:
    """Find customers by name, customer number, e-mail, phone, handle, order or invoice number.

    Exact identifier matches come first, then name matches. Each branch is one indexed
    query (trigram index on the name on PostgreSQL), so it stays fast at a million rows.
    ``hidden``: the customers the searcher may not see (``hidden_customers``; None: none), left
    out as if they did not exist.
    """
    q = _search_text(query)
    if len(q) < 2:
        return []
    ranked = _identifier_ids(q, limit=limit, email_prefix=True)
    current = _current(hidden)
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


def customer_exact_match(*, query: str, hidden: QuerySet | None) -> Customer | None:
    """The one customer the query names exactly (customer number, order or invoice number, e-mail
    address, phone number, handle), or None when it names none or several; a search for it
    opens that customer straight away."""
    q = _search_text(query)
    if len(q) < 2:
        return None
    ids = _identifier_ids(q, limit=2, email_prefix=False)
    found = list(_current(hidden).filter(pk__in=ids)[:2])
    return found[0] if len(found) == 1 else None


def _current(hidden: QuerySet | None) -> QuerySet:
    """The customers a search may find: not merged away, and none the searcher may not see."""
    current = Customer.objects.filter(merged_into__isnull=True)
    return current if hidden is None else current.exclude(pk__in=hidden)


def _search_text(query: str) -> str:
    # NUL cannot be stored or compared in PostgreSQL text; nobody searches for it.
    return " ".join(query.replace("\x00", "").split())


def _identifier_ids(q: str, *, limit: int, email_prefix: bool) -> list[int]:
    """Ids of the customers the query is an identifier of, in rank order: customer number, order,
    invoice, then e-mail, phone or handle."""

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
