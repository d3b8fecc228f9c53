from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "console.customers"
    verbose_name = "Customers"
