from django.apps import AppConfig


class CallbacksConfig(AppConfig):
    name = "console.callbacks"
    verbose_name = "Callbacks"

    def ready(self):
        # Register the beat job's task in every process, so `manage.py run_periodic
        # callbacks-about-to-be-missed` finds it in the embedded mode too.
        from console.callbacks import tasks  # noqa: F401
