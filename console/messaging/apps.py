from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "console.messaging"
    verbose_name = "Outbound messages and invoice statements"
