from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Q, Sum
from django.utils import timezone

from console.customers.models import Address, Customer
from console.flags import rules
from console.flags.models import Flag
from console.live.publish import flags_published


def flags_recompute(*, customer_id: int) -> list[Flag]:
    """Recompute the four flags of one customer from the records as they stand now."""
    from console.commerce.models import Invoice, Order  # commerce calls us; import late

    now = timezone.now()
    today = timezone.localdate()
    customer = Customer.objects.only(
        "customer_since", "id_document_type", "id_document_expires_on", "id_document_check"
    ).get(pk=customer_id)
    open_invoices = [
        rules.OpenInvoice(open_amount=amount - paid, due_on=due)
        for amount, paid, due in Invoice.objects.filter(
            customer_id=customer_id, paid_amount__lt=F("amount")
        ).values_list("amount", "paid_amount", "due_on")
    ]
    spend = Order.objects.filter(
        Q(customer_id=customer_id, placed_at__gte=now - timedelta(days=365)) & ~Q(status="cancelled")
    ).aggregate(s=Sum("total"))["s"] or Decimal("0")
    undeliverable = [
        a.one_line for a in Address.objects.filter(customer_id=customer_id, status=Address.Status.UNDELIVERABLE)
    ]
    verdicts = {
        Flag.Kind.CREDIT: rules.credit_verdict(
            open_invoices,
            today=today,
            hold_days=settings.CREDIT_HOLD_DAYS_OVERDUE,
            hold_amount=Decimal(settings.CREDIT_HOLD_AMOUNT_OPEN),
        ),
        Flag.Kind.LOYALTY: rules.loyalty_verdict(
            spend_12_months=spend, customer_since=customer.customer_since, today=today
        ),
        Flag.Kind.DATA_QUALITY: rules.data_quality_verdict(undeliverable=undeliverable),
        Flag.Kind.ID_DOCUMENT: rules.id_document_verdict(
            expires_on=customer.id_document_expires_on,
            document_type=customer.id_document_type,
            today=today,
            check_result=customer.id_document_check,
        ),
    }
    current = {f.kind: f for f in Flag.objects.filter(customer_id=customer_id)}
    changed = False
    for kind, verdict in verdicts.items():
        flag = current.get(kind)
        if flag is not None and (flag.level, flag.reason) == (verdict.level, verdict.reason):
            continue
        changed = True
        current[kind], _ = Flag.objects.update_or_create(
            customer_id=customer_id,
            kind=kind,
            defaults={"level": verdict.level, "reason": verdict.reason, "computed_at": now},
        )
    if changed:
        # Only a change is pushed: a recomputation that finds nothing new costs no render.
        flags_published(customer_id)
    return list(current.values())
