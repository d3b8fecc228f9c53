import secrets
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, agent_channel, require
from console.accounts.services import audit_event_record
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
from console.reactions import CUSTOMER_CHANGED, happened
from console.rejected import Rejected
from console.timeline.models import Channel, TimelineEntry
from console.timeline.services import timeline_entry_record
from console.ui.money import euro


@transaction.atomic
def order_place(
    *,
    customer_id: int,
    order_number: str,
    lines: list[dict],
    currency: str = "EUR",
    status: str = Order.Status.PLACED,
    placed_at: datetime | None = None,
    source: str = "webshop",
    channel: str = Channel.WEB,
    total: Decimal | None = None,
) -> tuple[Order, TimelineEntry]:
    """Record an order with its lines. Each line: sku, description, quantity, unit_price[, status].

    The total is the sum of the lines unless the web shop reports its own (discounts, shipping).
    """
    if total is None:
        total = sum((Decimal(line["unit_price"]) * line.get("quantity", 1) for line in lines), Decimal("0"))
    order = Order.objects.create(
        customer_id=customer_id,
        order_number=order_number,
        status=status,
        total=total,
        currency=currency,
        placed_at=placed_at or timezone.now(),
        source=source,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            line_number=line.get("line_number", n),
            sku=line["sku"],
            description=line["description"],
            quantity=line.get("quantity", 1),
            unit_price=Decimal(line["unit_price"]),
            status=line.get("status", OrderLine.DeliveryStatus.PENDING),
        )
        for n, line in enumerate(lines, start=1)
    )
    entry = timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.ORDER,
        channel=channel,
        summary=f"Order {order_number} placed: {len(lines)} item(s), {euro(total)}",
        occurred_at=order.placed_at,
        actor_source=source,
        order=order,
    )
    happened(CUSTOMER_CHANGED, customer_id=customer_id, because=f"order {order_number} placed")
    return order, entry


@transaction.atomic
def invoice_issue(
    *,
    customer_id: int,
    invoice_number: str,
    amount: Decimal,
    issued_on: date,
    due_on: date,
    currency: str = "EUR",
    order_id: int | None = None,
    order_number: str | None = None,
    source: str = "finance",
) -> tuple[Invoice, TimelineEntry]:
    """An invoice for the customer, for one of their orders (by id, or by the number a source
    system quotes). An invoice number issued before, or an order the customer does not have,
    is refused (``Rejected`` on the event's field)."""
    if Invoice.objects.filter(invoice_number=invoice_number).exists():
        raise Rejected("data.invoice_number", f"Invoice {invoice_number} was already issued.")
    if order_number:
        order = Order.objects.filter(order_number=order_number, customer_id=customer_id).only("pk").first()
        if order is None:
            raise Rejected("data.order_number", f"This customer has no order {order_number}.")
        order_id = order.pk
    invoice = Invoice.objects.create(
        customer_id=customer_id,
        invoice_number=invoice_number,
        amount=amount,
        currency=currency,
        issued_on=issued_on,
        due_on=due_on,
        order_id=order_id,
    )
    entry = timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.INVOICE,
        channel=Channel.EMAIL,
        direction=TimelineEntry.Direction.OUTBOUND,
        summary=f"Invoice {invoice_number} issued: {euro(amount)}, due {due_on:%d-%m-%Y}",
        occurred_at=timezone.make_aware(datetime.combine(issued_on, datetime.min.time().replace(hour=9))),
        actor_source=source,
        invoice=invoice,
    )
    happened(CUSTOMER_CHANGED, customer_id=customer_id, because=f"invoice {invoice_number} issued")
    return invoice, entry


def payment_receive_for(
    *, customer_id: int, invoice_number: str, amount: Decimal, received_on: date, source: str = "finance"
) -> tuple[Payment, TimelineEntry]:
    """A payment on the customer's invoice by the number a source system quotes; an invoice the
    customer does not have is refused (``Rejected`` on the event's field)."""
    invoice = Invoice.objects.filter(invoice_number=invoice_number, customer_id=customer_id).only("pk").first()
    if invoice is None:
        raise Rejected("data.invoice_number", f"This customer has no invoice {invoice_number}.")
    return payment_receive(invoice_id=invoice.pk, amount=amount, received_on=received_on, source=source)


@transaction.atomic
def payment_receive(
    *, invoice_id: int, amount: Decimal, received_on: date, source: str = "finance"
) -> tuple[Payment, TimelineEntry]:
    invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
    payment = Payment.objects.create(invoice=invoice, amount=amount, received_on=received_on)
    invoice.paid_amount += amount
    invoice.save(update_fields=["paid_amount"])
    left = invoice.open_amount
    summary = f"Payment of {euro(amount)} received for invoice {invoice.invoice_number}"
    summary += f" ({euro(left)} still open)" if left else " (paid in full)"
    entry = timeline_entry_record(
        customer_id=invoice.customer_id,
        kind=TimelineEntry.Kind.PAYMENT,
        channel=Channel.SYSTEM,
        summary=summary,
        actor_source=source,
        invoice=invoice,
        occurred_at=timezone.make_aware(datetime.combine(received_on, datetime.min.time().replace(hour=12))),
    )
    happened(CUSTOMER_CHANGED, customer_id=invoice.customer_id, because=f"payment on invoice {invoice.invoice_number}")
    return payment, entry


@transaction.atomic
def return_open(*, user, customer_id: int, order_line_id: int, reason: str, quantity: int = 1) -> Return:
    """An agent opens a return for one order line (a wrong item, a damaged one...)."""
    require(user, Capability.RECORD_INTERACTIONS)
    # Locked so that a double click cannot open two returns for one line.
    line = OrderLine.objects.select_for_update().select_related("order").get(pk=order_line_id)
    if line.order.customer_id != customer_id:
        raise PermissionDenied("That order line belongs to another customer.")
    if line.order.status == Order.Status.CANCELLED:
        raise ValidationError(f"Order {line.order.order_number} was cancelled; there is nothing to return.")
    if reason not in Return.Reason.values:
        raise ValidationError(f"Unknown return reason '{reason}'.")
    if ReturnLine.objects.filter(order_line=line, return_request__status__in=Return.OPEN_STATUSES).exists():
        raise ValidationError(f"'{line.description}' already has an open return.")
    ret = Return.objects.create(
        customer_id=customer_id,
        order=line.order,
        reason=reason,
        opened_by=user,
        return_number=f"R-{timezone.localdate():%y%m%d}-{secrets.token_hex(3).upper()}",
    )
    ReturnLine.objects.create(return_request=ret, order_line=line, quantity=min(quantity, line.quantity))
    timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.RETURN,
        channel=agent_channel(user),
        direction=TimelineEntry.Direction.INTERNAL,
        summary=f"Return {ret.return_number} opened for '{line.description}' "
        f"(order {line.order.order_number}): {ret.get_reason_display().lower()}",
        actor_user=user,
        order=line.order,
        return_request=ret,
    )
    audit_event_record(
        actor=user, action=AuditEvent.Action.OPENED_RETURN, customer=line.order.customer, detail=ret.return_number
    )
    happened(CUSTOMER_CHANGED, customer_id=customer_id, because=f"return {ret.return_number} opened")
    return ret


@transaction.atomic
def wishlist_update(
    *, customer_id: int, items: list[dict], source: str = "webshop", occurred_at: datetime | None = None
) -> tuple[WishList, TimelineEntry]:
    """Replace the wish list with the items the web shop reports (sku, description)."""
    wishlist, _ = WishList.objects.get_or_create(customer_id=customer_id)
    wishlist.items.all().delete()
    WishListItem.objects.bulk_create(
        WishListItem(wishlist=wishlist, sku=i["sku"], description=i["description"]) for i in items
    )
    wishlist.updated_at = occurred_at or timezone.now()
    wishlist.save(update_fields=["updated_at"])
    names = ", ".join(i["description"] for i in items[:3]) + ("…" if len(items) > 3 else "")
    entry = timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.WISHLIST,
        channel=Channel.WEB,
        summary=f"Wish list updated: {len(items)} item(s) — {names}" if items else "Wish list emptied",
        occurred_at=wishlist.updated_at,
        actor_source=source,
    )
    return wishlist, entry


class CommerceError(Rejected):
    """An event refers to a record that does not fit (an unknown order, another customer's invoice)."""


def _matching_line(data: dict, lines: list[OrderLine], taken: set[int]) -> OrderLine | None:
    """The order's line an update means: by line number, else by SKU and description, else the
    first line with that SKU not yet matched (two SIM cards may share one SKU)."""
    free = [line for line in lines if line.pk not in taken]
    if "line_number" in data:
        return next((line for line in free if line.line_number == data["line_number"]), None)
    return next(
        (line for line in free if (line.sku, line.description) == (data["sku"], data["description"])), None
    ) or next((line for line in free if line.sku == data["sku"]), None)


def _line_changes(order: Order, lines: list[dict]) -> list[str]:
    """Apply line updates (adding lines the order did not have); describe what changed."""
    existing = list(order.lines.all())
    changes, taken = [], set()
    next_number = max((line.line_number for line in existing), default=0) + 1
    for data in lines:
        line = _matching_line(data, existing, taken)
        if line is not None:
            taken.add(line.pk)
        status = data.get("status", OrderLine.DeliveryStatus.PENDING)
        if line is None:
            OrderLine.objects.create(
                order=order,
                line_number=next_number,
                sku=data["sku"],
                status=status,
                description=data["description"],
                quantity=data["quantity"],
                unit_price=data["unit_price"],
            )
            next_number += 1
            changes.append(f"{data['description']} added")
        elif "status" in data and line.status != status:
            line.status = status
            line.save(update_fields=["status"])
            changes.append(f"{line.description}: {line.get_status_display().lower()}")
    return changes


@transaction.atomic
def order_record(
    *,
    customer_id: int,
    order_number: str,
    status: str,
    lines: list[dict],
    total: Decimal,
    currency: str,
    occurred_at: datetime,
    source: str,
) -> tuple[Order, TimelineEntry]:
    """An order as the web shop reports it: placed the first time, updated after that."""
    order = Order.objects.select_for_update().filter(order_number=order_number).first()
    if order is None:
        return order_place(
            customer_id=customer_id,
            order_number=order_number,
            lines=lines,
            currency=currency,
            status=status,
            placed_at=occurred_at,
            source=source,
            total=total,
        )
    if order.customer_id != customer_id:
        raise CommerceError("data.order_number", f"Order {order_number} belongs to another customer.")
    changes = _line_changes(order, lines)
    status_changed = order.status != status
    order.status, order.total = status, total
    order.save(update_fields=["status", "total"])
    summary = (
        f"Order {order_number}: {order.get_status_display().lower()}"
        if status_changed
        else f"Order {order_number} updated"
    )
    if changes:
        summary += " — " + "; ".join(changes)
    entry = timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.ORDER,
        channel=Channel.WEB,
        summary=summary,
        occurred_at=occurred_at,
        actor_source=source,
        order=order,
    )
    happened(CUSTOMER_CHANGED, customer_id=customer_id, because=f"order {order_number} updated")
    return order, entry


@transaction.atomic
def return_record(
    *,
    customer_id: int,
    return_number: str,
    order_number: str,
    lines: list[dict],
    reason: str,
    status: str,
    occurred_at: datetime,
    source: str,
) -> tuple[Return, TimelineEntry]:
    """A return as the web shop or warehouse reports it, linked to the order's lines by SKU."""
    order = Order.objects.filter(order_number=order_number, customer_id=customer_id).first()
    if order is None:
        raise CommerceError("data.order_number", f"This customer has no order {order_number}.")
    by_sku = {line.sku: line for line in order.lines.all()}
    unknown = [data["sku"] for data in lines if data["sku"] not in by_sku]
    if unknown:
        raise CommerceError("data.lines", f"Order {order_number} has no line with SKU {', '.join(unknown)}.")
    ret, created = Return.objects.select_for_update().get_or_create(
        return_number=return_number,
        defaults={
            "customer_id": customer_id,
            "order": order,
            "reason": reason,
            "status": status,
            "opened_at": occurred_at,
        },
    )
    if ret.customer_id != customer_id:
        raise CommerceError("data.return_number", f"Return {return_number} belongs to another customer.")
    if created:
        ReturnLine.objects.bulk_create(
            ReturnLine(return_request=ret, order_line=by_sku[d["sku"]], quantity=d["quantity"]) for d in lines
        )
        summary = f"Return {return_number} opened for order {order_number}: {ret.get_reason_display().lower()}"
    else:
        ret.status = status
        ret.save(update_fields=["status"])
        summary = f"Return {return_number}: {ret.get_status_display().lower()}"
    entry = timeline_entry_record(
        customer_id=customer_id,
        kind=TimelineEntry.Kind.RETURN,
        channel=Channel.WEB,
        summary=summary,
        occurred_at=occurred_at,
        actor_source=source,
        order=order,
        return_request=ret,
    )
    # The share of orders returned counts toward the loyalty tier.
    happened(CUSTOMER_CHANGED, customer_id=customer_id, because=f"return {return_number}")
    return ret, entry
