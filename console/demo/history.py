"""Writing a believable past through the normal services, in time order.

Every timeline entry here goes through ``timeline_entry_record`` (directly or via the
commerce and case services), which hands out ``seq`` in the order of the calls. Histories
are therefore written oldest first, so that seq order and time order agree, the way they
would have if the events had really arrived one by one.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from console.cases.models import Case
from console.cases.services import case_open
from console.commerce.services import invoice_issue, order_place, payment_receive
from console.timeline.models import Channel, TimelineEntry
from console.timeline.services import timeline_entry_record

# The kind an interaction on a channel is filed as, and the source system that reports it
# when no agent is involved.
CHANNEL_KIND = {
    Channel.PHONE: TimelineEntry.Kind.CALL,
    Channel.STORE: TimelineEntry.Kind.STORE_VISIT,
    Channel.WEB: TimelineEntry.Kind.WEB_VISIT,
}
CHANNEL_SOURCE = {
    Channel.CHATBOT: "chatbot",
    Channel.WEB: "webshop",
    Channel.EMAIL: "mailbox",
    Channel.TWITTER: "social-listening",
    Channel.INSTAGRAM: "social-listening",
    Channel.POST: "postroom",
}
# The demo user (role) who handles a channel; that agent is named on the entry.
CHANNEL_AGENT = {
    Channel.PHONE: "phone",
    Channel.STORE: "store",
    Channel.CHAT: "webcare",
    Channel.WHATSAPP: "webcare",
}
CHANNEL_TEAM = {
    Channel.PHONE: "phone",
    Channel.STORE: "store",
    Channel.EMAIL: "back_office",
    Channel.POST: "back_office",
}


def local_at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware datetime at a wall-clock time in the project's time zone (Europe/Amsterdam)."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def days_ago_at(days: int, hour: int, minute: int = 0) -> datetime:
    return local_at(timezone.localdate() - timedelta(days=days), hour, minute)


def years_ago(years: int, extra_days: int = 60) -> date:
    """A customer_since date; the extra days keep "N years" true for a couple of months."""
    return timezone.localdate() - timedelta(days=years * 365 + extra_days)


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def line(sku: str, description: str, price: str, status: str = "delivered") -> dict:
    return dict(sku=sku, description=description, unit_price=Decimal(price), status=status)


def order_invoiced(
    customer_id: int,
    *,
    number: str,
    invoice: str,
    lines: list[dict],
    placed: datetime,
    paid_after_days: int | None = 3,
    status: str = "delivered",
    channel: str = "web",
):
    """An order, its invoice the morning after (due in 14 days), and optionally the payment."""
    source = "store" if channel == "store" else "webshop"
    order, _entry = order_place(
        customer_id=customer_id,
        order_number=number,
        lines=lines,
        status=status,
        placed_at=placed,
        channel=channel,
        source=source,
    )
    issued = timezone.localdate(placed) + timedelta(days=1)
    inv, _entry = invoice_issue(
        customer_id=customer_id,
        invoice_number=invoice,
        amount=order.total,
        issued_on=issued,
        due_on=issued + timedelta(days=14),
        order_id=order.pk,
    )
    if paid_after_days is not None:
        payment_receive(invoice_id=inv.pk, amount=inv.amount, received_on=issued + timedelta(days=paid_after_days))
    return order, inv


def courier_event(
    customer_id: int, *, at: datetime, summary: str, order, body: str = "", kind: str = TimelineEntry.Kind.ORDER
) -> TimelineEntry:
    """What the courier's system reports about a parcel (delivered, refused)."""
    return timeline_entry_record(
        customer_id=customer_id,
        kind=kind,
        channel=Channel.SYSTEM,
        summary=summary,
        body=body,
        occurred_at=at,
        actor_source="courier",
        order=order,
    )


def interaction(
    *,
    customer_id: int,
    channel: str,
    summary: str,
    body: str,
    at: datetime,
    users: dict,
    direction: str = TimelineEntry.Direction.INBOUND,
    **links,
) -> TimelineEntry:
    """One contact on a channel, attributed to the agent or source system that handled it."""
    agent = users.get(CHANNEL_AGENT.get(channel, ""))
    return timeline_entry_record(
        customer_id=customer_id,
        kind=CHANNEL_KIND.get(channel, TimelineEntry.Kind.INTERACTION),
        channel=channel,
        direction=direction,
        summary=summary,
        body=body,
        occurred_at=at,
        actor_user=agent.user if agent else None,
        actor_source="" if agent else CHANNEL_SOURCE.get(channel, ""),
        **links,
    )


def case_open_at(*, at: datetime, customer_id: int, **kwargs) -> Case:
    """``case_open`` as it would have run at ``at`` (histories are written oldest first)."""
    return case_open(customer_id=customer_id, occurred_at=at, **kwargs)


@dataclass
class Step:
    """Something that happened at ``at``; ``run`` records it through a service."""

    at: datetime
    run: Callable[[], object] = field(repr=False)


def run_in_time_order(steps: list[Step]) -> None:
    # sorted() is stable, so steps at the same moment keep the order they were planned in
    # (an order before its invoice, a contact before the case it started).
    for step in sorted(steps, key=lambda s: s.at):
        step.run()


def address(street: str, postal_code: str, city: str) -> dict:
    """An address as customer_create takes it."""
    return dict(street=street, postal_code=postal_code, city=city)
