from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "console.commerce"
    verbose_name = "Orders, invoices and returns"
