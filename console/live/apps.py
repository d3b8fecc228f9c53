from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "console.live"
    verbose_name = "Live console"

    def ready(self):
        from console.live import signals  # noqa: F401 - open consoles follow their user's rights
