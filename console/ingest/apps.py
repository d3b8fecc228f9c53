from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "console.ingest"
    verbose_name = "Event API"
