"""Run the statement job now, in this process (the embedded mode's stand-in for celery beat)."""

from collections import Counter
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from console.commerce.models import Invoice
from console.messaging.models import Statement
from console.messaging.rendering import period_label
from console.messaging.selectors import customers_due_statement_ids, statement_period_due
from console.messaging.statements import Outcome, statement_send


class Command(BaseCommand):
    help = (
        "Send the invoice statements that are due: each customer with open invoices gets this period's "
        "statement once. Safe to run again; customers who already have it are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", help="Send for this period (YYYY-MM) whatever the day of the month.")
        parser.add_argument("--today", help="Run as if it were this day (YYYY-MM-DD).")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--today: {exc}") from exc
        period = options["period"] or statement_period_due(today)
        if period is None:
            self.stdout.write(
                f"No statements are due on {today:%d-%m-%Y}: they go out on day {settings.STATEMENT_DAY_OF_MONTH} "
                f"of the month (up to {settings.STATEMENT_LATE_DAYS} days later). Use --period YYYY-MM to send anyway."
            )
            return
        label = period_label(period)
        already = self._already_sent(period)
        self.stdout.write(f"Statements for {label}: {already} customer(s) with open invoices already have theirs.")
        counts, done, after = Counter(), 0, 0
        while ids := customers_due_statement_ids(period=period, after_id=after):
            for customer_id in ids:
                counts[statement_send(customer_id=customer_id, period=period).outcome] += 1
            done += len(ids)
            after = ids[-1]
            self.stdout.write(f"  {done} customer(s) done...")
        skipped = already + counts[Outcome.ALREADY_SENT] + counts[Outcome.NOTHING_OPEN]
        self.stdout.write(
            self.style.SUCCESS(
                f"{already + done} customer(s) with open invoices: {counts[Outcome.SENT]} sent, "
                f"{counts[Outcome.UNDELIVERABLE]} could not be delivered (see their timelines), "
                f"{skipped} skipped (already had the statement for {label}, or paid meanwhile)."
            )
        )

    def _already_sent(self, period: str) -> int:

        open_invoice = Invoice.objects.filter(customer_id=OuterRef("customer_id"), paid_amount__lt=F("amount"))
        return Statement.objects.filter(period=period).filter(Exists(open_invoice)).count()
