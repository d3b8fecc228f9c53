from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from console.commerce.models import Invoice


@dataclass
class InvoiceSummary:
    open_total: Decimal = Decimal("0")
    overdue_total: Decimal = Decimal("0")
    open_count: int = 0
    overdue_count: int = 0
    invoices: list = field(default_factory=list)


def invoice_summary(*, customer_id: int, with_list: bool) -> InvoiceSummary:
    """The open balance for everyone; the invoice list only for roles that may see it."""

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
