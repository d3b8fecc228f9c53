from django.apps import AppConfig


class FlagsConfig(AppConfig):
    name = "console.flags"
    verbose_name = "Credit, loyalty, data-quality and ID flags"

    def ready(self):
        from console.flags import tasks
        from console.reactions import CUSTOMER_CHANGED, hear

        hear(CUSTOMER_CHANGED, tasks.customer_changed)
