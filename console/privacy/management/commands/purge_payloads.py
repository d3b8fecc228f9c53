"""Purge raw event payloads older than RAW_PAYLOAD_RETENTION_DAYS (or --days), showing progress,
and erased customers' invoices, orders and returns once FISCAL_RETENTION_YEARS are over.

The same job runs every night under celery beat (privacy-raw-payloads-purge); running it again
removes nothing more.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from console.privacy.retention import fiscal_records_purge, raw_payloads_purge


class Command(BaseCommand):
    help = "Purge raw event payloads older than RAW_PAYLOAD_RETENTION_DAYS (docs/privacy.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.RAW_PAYLOAD_RETENTION_DAYS,
            help="Purge payloads received more than this many days ago (at least 7; "
            f"default {settings.RAW_PAYLOAD_RETENTION_DAYS}).",
        )

    def handle(self, *args, days, **options):
        if days < 7:
            raise CommandError("Keep at least 7 days: the journeys' catch-up reads recent payloads.")
        shown = lambda purged: self.stderr.write(f"\r{purged.events} events, {purged.entries} entries…", ending="")  # noqa: E731
        purged = raw_payloads_purge(days=days, progress=shown)
        self.stderr.write("")
        if purged.events or purged.entries:
            self.stdout.write(f"Purged {purged}.")
        else:
            self.stdout.write(f"Nothing to purge: no payloads older than {purged.cutoff:%Y-%m-%d %H:%M} are left.")
        fiscal = fiscal_records_purge()
        if any(fiscal.values()):
            self.stdout.write(
                "Fiscal retention over, deleted of erased customers: "
                + ", ".join(f"{n} {k}" for k, n in fiscal.items())
                + "."
            )
