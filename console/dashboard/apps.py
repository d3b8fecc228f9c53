from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "console.dashboard"
    verbose_name = "Manager dashboard"

    def ready(self):
        from console.dashboard import fragments
        from console.reactions import ENTRY_RECORDED, hear

        hear(ENTRY_RECORDED, fragments.entry_recorded)
