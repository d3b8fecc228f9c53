from dataclasses import dataclass

from django.db import models
from django.db.models import F
from django.utils import timezone

from console.accounts.roles import Capability
from console.cases.models import Case
from console.commerce.models import Order, Return, ReturnLine, WishListItem
from console.commerce.selectors import InvoiceSummary, invoice_summary
from console.customers.models import Customer
from console.flags.models import Flag
from console.journeys.selectors import journey_lines, startable_templates
from console.messaging.selectors import MessagesPanel, StatementPanel, messages_panel, statement_panel
from console.timeline.selectors import latest_questions

FLAG_ORDER = ["credit", "loyalty", "data_quality", "id_document"]


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
    # Whether to offer writing to the customer (the messages panel, "Text the customer…").
    may_send: bool
    latest_questions: list
    # This period's statement, shown with the invoice list (None for those who do not see it).
    statement: StatementPanel | None
    messages: MessagesPanel
    # Case id -> where its journey stands, for the journey cases among ``cases``.
    journey_lines: dict[int, str]
    # (id, name) of the journeys an agent can start here ("Start journey…").
    startable_journeys: list[tuple[int, str]]


def customer_picture(*, customer: Customer, user=None, show_invoice_list: bool | None = None) -> CustomerPicture:
    """Everything the customer picture shows but the timeline, in a fixed number of queries.

    Rendered for a user, or for an audience (``show_invoice_list``) when a live push is
    rendered once for everyone who may see invoices and once for everyone who may not.
    """
    if show_invoice_list is None:
        show_invoice_list = user.has_perm(Capability.VIEW_INVOICES)
    # A push's audiences differ by the invoice list only; the roles that see it are the roles
    # that send messages (console/accounts/roles.py), so the audience stands for the role.
    may_send = user.has_perm(Capability.SEND_MESSAGES) if user is not None else show_invoice_list
    flags = sorted(
        Flag.objects.filter(customer=customer).select_related("override_by"), key=lambda f: FLAG_ORDER.index(f.kind)
    )
    identifiers = list(customer.identifiers.all())
    invoices = invoice_summary(customer_id=customer.pk, with_list=show_invoice_list)
    # The statement is part of the invoice list: read only for those who see that.
    statement = (
        statement_panel(customer_id=customer.pk, today=timezone.localdate(), open_count=invoices.open_count)
        if show_invoice_list
        else None
    )
    cases = _cases(customer)
    open_returns = list(
        Return.objects.filter(customer=customer, status__in=Return.OPEN_STATUSES)
        .select_related("order")
        .prefetch_related("lines__order_line")
    )
    return CustomerPicture(
        customer=customer,
        identifiers=identifiers,
        addresses=list(customer.addresses.all()),
        flags=flags,
        orders=list(Order.objects.filter(customer=customer).prefetch_related("lines").order_by("-placed_at")[:10]),
        lines_with_open_return=set(
            ReturnLine.objects.filter(
                return_request__customer=customer, return_request__status__in=Return.OPEN_STATUSES
            ).values_list("order_line_id", flat=True)
        ),
        open_returns=open_returns,
        cases=cases,
        wishlist_items=list(WishListItem.objects.filter(wishlist__customer=customer)),
        invoices=invoices,
        show_invoice_list=show_invoice_list,
        may_send=may_send,
        latest_questions=latest_questions(customer_id=customer.pk),
        statement=statement,
        # The messages panel's channels come from the identifiers loaded above (no query of its own).
        messages=messages_panel(customer=customer, identifiers=identifiers),
        journey_lines=journey_lines(cases),
        startable_journeys=startable_templates(),
    )


def _cases(customer: Customer) -> list[Case]:
    """The cases panel's ten: open cases first, soonest due first; then the most recent closed ones."""
    return list(
        Case.objects.filter(customer=customer)
        .select_related("owner")
        .order_by(
            models.Case(models.When(status__in=Case.OPEN_STATUSES, then=0), default=1),
            F("due_at").asc(nulls_last=True),
            "-created_at",
        )[:10]
    )
