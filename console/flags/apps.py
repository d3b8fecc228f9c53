from django.apps import AppConfig


class FlagsConfig(AppConfig):
    name = "console.flags"
    verbose_name = "Credit, loyalty, data-quality and ID flags"
