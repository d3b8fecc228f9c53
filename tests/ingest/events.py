"""Valid example events of every type, as a source system would send them."""

import itertools

_ids = itertools.count(1)


def event(type_, data, customer=None, **envelope):
    return {
        "id": envelope.pop("id", f"ev-{next(_ids)}"),
        "type": type_,
        "occurred_at": envelope.pop("occurred_at", "2026-11-24T09:15:00+01:00"),
        "customer": customer or {"customer_number": "C-200001"},
        "data": data,
        **envelope,
    }


ENVELOPE = ("id", "occurred_at", "customer")


def interaction(**fields):
    envelope = {k: fields.pop(k) for k in ENVELOPE if k in fields}
    return event(
        "interaction.recorded",
        {"channel": "twitter", "direction": "inbound", "summary": "Waar blijft mijn vogelhuisje?", **fields},
        **envelope,
    )


def order(number="WS-1", status="placed", lines=None, total="39.95"):
    lines = lines or [{"sku": "VH-01", "description": "Vogelhuisje Eiken", "quantity": 1, "unit_price": "39.95"}]
    return event(
        f"order.{'placed' if status == 'placed' else 'updated'}",
        {"order_number": number, "status": status, "lines": lines, "total": total, "currency": "EUR"},
    )


def invoice(number="INV-1", amount="740.00", issued_on="2026-09-24", due_on="2026-10-08"):
    return event(
        "invoice.issued",
        {"invoice_number": number, "amount": amount, "currency": "EUR", "issued_on": issued_on, "due_on": due_on},
    )
