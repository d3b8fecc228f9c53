from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch

from console.commerce.models import Invoice
from console.customers.models import Address, Customer, Identifier
from console.messaging.models import OutboundMessage, Statement
from console.messaging.rendering import StatementLine, period_label
from console.timeline.models import TimelineEntry
from console.timeline.selectors import timeline_for_user


def period_of(day: date) -> str:
    """The statement period a day falls in: its calendar month, "2026-11"."""
    return f"{day:%Y-%m}"


def statement_period_due(today: date) -> str | None:
    """The period the scheduled run sends for today, or None when no run is due.

    Statements go out on ``STATEMENT_DAY_OF_MONTH``; a run missed that day (beat or the server
    down) still sends during the ``STATEMENT_LATE_DAYS`` after it. Customers who already have
    the period's statement are skipped, so a daily run sends each customer one per period.
    """
    first = settings.STATEMENT_DAY_OF_MONTH
    if first <= today.day <= first + settings.STATEMENT_LATE_DAYS:
        return period_of(today)
    return None


def customers_due_statement_ids(*, period: str, after_id: int = 0, limit: int = 1000) -> list[int]:
    """The next ``limit`` customers (by id, after ``after_id``) with an open invoice and no
    statement for the period yet: one indexed query per chunk, however many customers there are."""

    open_invoice = Invoice.objects.filter(customer_id=OuterRef("pk"), paid_amount__lt=F("amount"))
    claimed = Statement.objects.filter(customer_id=OuterRef("pk"), period=period)
    return list(
        # Not to erased customers: nothing is sent to them (docs/privacy.md).
        Customer.objects.filter(merged_into__isnull=True, erased_at__isnull=True, pk__gt=after_id)
        .filter(Exists(open_invoice))
        .exclude(Exists(claimed))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def customers_with_statement_count(*, period: str) -> int:
    return Statement.objects.filter(period=period).count()


def statement_lines(*, customer_id: int, today: date) -> list[StatementLine]:
    """The customer's open invoices, oldest due first, as the statement lists them."""

    return [
        StatementLine(
            invoice_id=pk,
            invoice_number=number,
            issued_on=issued_on,
            due_on=due_on,
            open_amount=amount - paid,
            days_overdue=max((today - due_on).days, 0),
        )
        for pk, number, issued_on, due_on, amount, paid in Invoice.objects.filter(
            customer_id=customer_id, paid_amount__lt=F("amount")
        )
        .order_by("due_on", "id")
        .values_list("pk", "invoice_number", "issued_on", "due_on", "amount", "paid_amount")
    ]


@dataclass
class Recipient:
    channel: str
    to_address: str
    # How the timeline and the panel name it: "jeroen@example.nl", "Dorpsstraat 1, 1234 AB Utrecht".
    display: str


@dataclass
class Recipients:
    found: list[Recipient] = field(default_factory=list)
    # Why a channel could not be used, in words an agent can repeat to the customer.
    missing: list[str] = field(default_factory=list)


def may_take_sms(phone: str) -> bool:
    """A Dutch number (E.164) takes texts when it is a mobile one (+316); a foreign one may, so it is tried."""
    return phone.startswith("+316") or not phone.startswith("+31")


def recipient_for(*, customer: Customer, channel: str) -> tuple[Recipient | None, str]:
    """Where a message on this channel can go, or why it cannot (in words an agent can repeat).

    E-mail: the newest address that has not bounced. Post: the primary address, unless it is
    undeliverable. SMS: the newest mobile number. Social: the handle on that network.
    """
    if channel == OutboundMessage.Channel.POST:
        # An address the customer moved away from is kept for the history, never posted to.
        address = (
            Address.objects.filter(customer=customer)
            .exclude(status=Address.Status.MOVED)
            .order_by("-is_primary", "id")
            .first()
        )
        if address is None:
            return None, "there is no postal address on file"
        if address.status == Address.Status.UNDELIVERABLE:
            evidence = f" ({address.status_evidence})" if address.status_evidence else ""
            return None, f"the address {address.one_line} is undeliverable{evidence}"
        lines = [customer.name, address.street, f"{address.postal_code} {address.city}".strip()]
        if address.country and address.country != "NL":
            lines.append(address.country)
        return Recipient("post", "\n".join(lines), address.one_line), ""
    identifiers = Identifier.objects.filter(customer=customer).order_by("-created_at", "-id")
    if channel == OutboundMessage.Channel.EMAIL:
        emails = list(identifiers.filter(kind=Identifier.Kind.EMAIL))
        working = [e for e in emails if e.bounced_at is None]
        if working:
            return Recipient("email", working[0].value, working[0].value), ""
        if emails:
            return None, f"the e-mail address {emails[0].value} bounced on {emails[0].bounced_at:%d-%m-%Y}"
        return None, "there is no e-mail address on file"
    if channel == OutboundMessage.Channel.SMS:
        phones = list(identifiers.filter(kind=Identifier.Kind.PHONE).values_list("value", flat=True))
        mobile = [p for p in phones if may_take_sms(p)]
        if mobile:
            return Recipient("sms", mobile[0], mobile[0]), ""
        if phones:
            return None, f"there is no mobile number on file ({phones[0]} is a landline)"
        return None, "there is no mobile number on file"
    if channel in OutboundMessage.SOCIAL:
        handle = identifiers.filter(kind=Identifier.Kind.HANDLE, namespace=channel).values_list("value", flat=True)
        if handle:
            return Recipient(channel, handle[0], handle[0]), ""
        return None, f"there is no {OutboundMessage.Channel(channel).label} handle on file"
    return None, f"messages cannot be sent by {channel}"


def statement_recipients(*, customer: Customer) -> Recipients:
    """Where the statement can go: the working e-mail address and the deliverable primary address."""
    result = Recipients()
    for channel in (OutboundMessage.Channel.EMAIL, OutboundMessage.Channel.POST):
        if channel in settings.STATEMENT_CHANNELS:
            recipient, missing = recipient_for(customer=customer, channel=channel)
            if recipient is not None:
                result.found.append(recipient)
            else:
                result.missing.append(missing)
    return result


@dataclass
class StatementPanel:
    """What the invoices panel says about this period's statement."""

    period: str
    label: str
    statement: Statement | None
    messages: list[OutboundMessage]
    open_count: int
    today: date

    @property
    def copy_sent_today(self) -> bool:
        return self.statement is not None and self.statement.last_copy_on == self.today

    @property
    def pending(self) -> bool:
        """Still on its way: the panel looks again in a moment."""
        return any(m.status in OutboundMessage.PENDING for m in self.messages)

    @property
    def originals(self) -> list[OutboundMessage]:
        return [m for m in self.messages if not m.is_copy]

    @property
    def copies(self) -> list[OutboundMessage]:
        return [m for m in self.messages if m.is_copy]


def statement_panel(*, customer_id: int, today: date, open_count: int) -> StatementPanel:
    period = period_of(today)
    statement = (
        Statement.objects.filter(customer_id=customer_id, period=period)
        .select_related("requested_by")
        .prefetch_related(Prefetch("messages", queryset=OutboundMessage.objects.order_by("created_at", "id")))
        .first()
    )
    return StatementPanel(
        period=period,
        label=period_label(period),
        statement=statement,
        messages=list(statement.messages.all()) if statement else [],
        open_count=open_count,
        today=today,
    )


@dataclass
class MessagesPanel:
    """The customer picture's messages panel: the latest messages (statements have their own
    place in the invoices panel) and the channels an agent can write on now."""

    messages: list[OutboundMessage]
    channels: list[tuple[str, str, str]]  # (channel, label, to) the customer can be reached on

    @property
    def failed(self) -> list[OutboundMessage]:
        return [m for m in self.messages if m.retryable]


MESSAGES_SHOWN = 6
AGENT_CHANNELS = (
    OutboundMessage.Channel.SMS,
    OutboundMessage.Channel.EMAIL,
    *OutboundMessage.SOCIAL,
)


def messages_panel(*, customer: Customer, identifiers: list[Identifier] | None = None) -> MessagesPanel:
    """The panel; ``identifiers``: the customer's, when the caller has them loaded already."""
    messages = list(
        OutboundMessage.objects.filter(customer=customer, statement__isnull=True)
        .select_related("case")
        .order_by("-created_at", "-id")[:MESSAGES_SHOWN]
    )
    return MessagesPanel(messages=messages, channels=reachable_channels(customer=customer, identifiers=identifiers))


def reachable_channels(
    *, customer: Customer, identifiers: list[Identifier] | None = None
) -> list[tuple[str, str, str]]:
    """(channel, label, to) for every channel an agent may write to this customer on now."""
    if identifiers is None:
        identifiers = list(Identifier.objects.filter(customer=customer))
    found: dict[str, str] = {}
    for identifier in sorted(identifiers, key=lambda i: (i.created_at, i.pk), reverse=True):
        kind, value = identifier.kind, identifier.value
        if kind == Identifier.Kind.PHONE and may_take_sms(value):
            found.setdefault(OutboundMessage.Channel.SMS, value)
        elif kind == Identifier.Kind.EMAIL and identifier.bounced_at is None:
            found.setdefault(OutboundMessage.Channel.EMAIL, value)
        elif kind == Identifier.Kind.HANDLE and identifier.namespace in OutboundMessage.SOCIAL:
            found.setdefault(identifier.namespace, value)
    return [(c, OutboundMessage.Channel(c).label, found[c]) for c in AGENT_CHANNELS if c in found]


def message_statuses_attach(entries: list[TimelineEntry]) -> None:
    """Each message entry gets its message's delivery status as it is now (one query, and none
    when the page has no messages)."""
    ids = {e.message_id for e in entries if e.message_id}
    if not ids:
        return
    statuses = dict(OutboundMessage.objects.filter(pk__in=ids).values_list("pk", "status"))
    for entry in entries:
        if entry.message_id in statuses:
            entry.current_message_status = statuses[entry.message_id]


def timeline_with_statuses(*, user, customer_id: int, channel: str = "", before_seq: int | None = None):
    """The customer's timeline as this user may see it (``timeline_for_user``), each message
    entry with its message's delivery status as it is now."""
    page = timeline_for_user(user=user, customer_id=customer_id, channel=channel, before_seq=before_seq)
    message_statuses_attach(page.entries)
    return page
