from django.core.management.base import BaseCommand
from django.db import transaction

from console.dates import DATE_WINDOW_TEXT
from console.ingest.date_window import dates_repair


class Command(BaseCommand):
    help = (
        f"Put dates and times stored before the API refused them back inside its window ({DATE_WINDOW_TEXT}): "
        "a timeline entry's time becomes the time it was recorded, any other value the nearest end of the window."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            repaired = dates_repair()
        for field, rows in repaired.items():
            self.stdout.write(f"{field}: {rows} repaired")
        self.stdout.write(f"{sum(repaired.values())} values repaired.")
