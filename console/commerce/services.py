import secrets
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from console.accounts.roles import Capability, agent_channel, require
from console.commerce.models import (
    Invoice,
    Order,
    OrderLine,
    Payment,
    Return,
    ReturnLine,
    WishList,
    WishListItem,
)
from console.flags.services import flags_recompute
from console.timeline.models import Channel, TimelineEntry
from console.timeline.services import timeline_entry_record


def _euro(amount: Decimal) -> str:
    return f"EUR {amount:,.2f}"


@transaction.atomic
def order_place(
    *, customer_id: int, order_number: str, lines: list[dict], currency: str = "EUR",
    status: str = Order.Status.PLACED, placed_at: datetime | None = None, source: str = "webshop",
    channel: str = Channel.WEB,
) -> Order:
    """Record an order with its lines. Each line: sku, description, quantity, unit_price[, status]."""
    total = sum((Decimal(line["unit_price"]) * line.get("quantity", 1) for line in lines), Decimal("0"))
    order = Order.objects.create(
        customer_id=customer_id, order_number=order_number, status=status, total=total,
        currency=currency, placed_at=placed_at or timezone.now(), source=source,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order, line_number=n, sku=line["sku"], description=line["description"],
            quantity=line.get("quantity", 1), unit_price=Decimal(line["unit_price"]),
            status=line.get("status", OrderLine.DeliveryStatus.PENDING),
        )
        for n, line in enumerate(lines, start=1)
    )
    timeline_entry_record(
        customer_id=customer_id, kind=TimelineEntry.Kind.ORDER, channel=channel,
        summary=f"Order {order_number} placed: {len(lines)} item(s), {_euro(total)}",
        occurred_at=order.placed_at, actor_source=source, order=order,
    )
    flags_recompute(customer_id=customer_id)
    return order


@transaction.atomic
def invoice_issue(
    *, customer_id: int, invoice_number: str, amount: Decimal, issued_on: date, due_on: date,
    currency: str = "EUR", order_id: int | None = None, source: str = "finance",
) -> Invoice:
    invoice = Invoice.objects.create(
        customer_id=customer_id, invoice_number=invoice_number, amount=amount, currency=currency,
        issued_on=issued_on, due_on=due_on, order_id=order_id,
    )
    timeline_entry_record(
        customer_id=customer_id, kind=TimelineEntry.Kind.INVOICE, channel=Channel.EMAIL,
        direction=TimelineEntry.Direction.OUTBOUND,
        summary=f"Invoice {invoice_number} issued: {_euro(amount)}, due {due_on:%d-%m-%Y}",
        occurred_at=timezone.make_aware(datetime.combine(issued_on, datetime.min.time().replace(hour=9))),
        actor_source=source, invoice=invoice,
    )
    flags_recompute(customer_id=customer_id)
    return invoice


@transaction.atomic
def payment_receive(*, invoice_id: int, amount: Decimal, received_on: date, source: str = "finance") -> Payment:
    invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
    payment = Payment.objects.create(invoice=invoice, amount=amount, received_on=received_on)
    invoice.paid_amount += amount
    invoice.save(update_fields=["paid_amount"])
    left = invoice.open_amount
    summary = f"Payment of {_euro(amount)} received for invoice {invoice.invoice_number}"
    summary += f" ({_euro(left)} still open)" if left else " (paid in full)"
    timeline_entry_record(
        customer_id=invoice.customer_id, kind=TimelineEntry.Kind.PAYMENT, channel=Channel.SYSTEM,
        summary=summary, actor_source=source, invoice=invoice,
        occurred_at=timezone.make_aware(datetime.combine(received_on, datetime.min.time().replace(hour=12))),
    )
    flags_recompute(customer_id=invoice.customer_id)
    return payment


@transaction.atomic
def return_open(*, user, customer_id: int, order_line_id: int, reason: str, quantity: int = 1) -> Return:
    """An agent opens a return for one order line (a wrong item, a damaged one...)."""
    require(user, Capability.RECORD_INTERACTIONS)
    line = OrderLine.objects.select_related("order").get(pk=order_line_id)
    if line.order.customer_id != customer_id:
        raise PermissionDenied("That order line belongs to another customer.")
    if reason not in Return.Reason.values:
        raise ValidationError(f"Unknown return reason '{reason}'.")
    if ReturnLine.objects.filter(order_line=line, return_request__status__in=Return.OPEN_STATUSES).exists():
        raise ValidationError(f"'{line.description}' already has an open return.")
    ret = Return.objects.create(
        customer_id=customer_id, order=line.order, reason=reason, opened_by=user,
        return_number=f"R-{timezone.localdate():%y%m%d}-{secrets.token_hex(3).upper()}",
    )
    ReturnLine.objects.create(return_request=ret, order_line=line, quantity=min(quantity, line.quantity))
    timeline_entry_record(
        customer_id=customer_id, kind=TimelineEntry.Kind.RETURN, channel=agent_channel(user),
        direction=TimelineEntry.Direction.INTERNAL,
        summary=f"Return {ret.return_number} opened for '{line.description}' "
                f"(order {line.order.order_number}): {ret.get_reason_display().lower()}",
        actor_user=user, order=line.order, return_request=ret,
    )
    return ret


@transaction.atomic
def wishlist_update(*, customer_id: int, items: list[dict], source: str = "webshop",
                    occurred_at: datetime | None = None) -> WishList:
    """Replace the wish list with the items the web shop reports (sku, description)."""
    wishlist, _ = WishList.objects.get_or_create(customer_id=customer_id)
    wishlist.items.all().delete()
    WishListItem.objects.bulk_create(
        WishListItem(wishlist=wishlist, sku=i["sku"], description=i["description"]) for i in items
    )
    wishlist.updated_at = occurred_at or timezone.now()
    wishlist.save(update_fields=["updated_at"])
    names = ", ".join(i["description"] for i in items[:3]) + ("…" if len(items) > 3 else "")
    timeline_entry_record(
        customer_id=customer_id, kind=TimelineEntry.Kind.WISHLIST, channel=Channel.WEB,
        summary=f"Wish list updated: {len(items)} item(s) — {names}" if items else "Wish list emptied",
        occurred_at=wishlist.updated_at, actor_source=source,
    )
    return wishlist
