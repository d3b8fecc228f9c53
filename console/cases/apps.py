from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "console.cases"
    verbose_name = "Cases"

    def ready(self):
        # Register the beat job's task in every process, so `manage.py run_periodic
        # complaints-escalate` finds it in the embedded mode too (a worker discovers it anyway).
        from console.cases import tasks  # noqa: F401
