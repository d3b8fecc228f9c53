from django.apps import AppConfig


class CallbacksConfig(AppConfig):
    name = "console.callbacks"
    verbose_name = "Callbacks"

    def ready(self):
        # tasks: registers the beat job's task in every process, so `manage.py run_periodic
        # callbacks-about-to-be-missed` finds it in the embedded mode too. views: the case page's
        # callbacks part, read by the case page's views (console/cases/page_parts.py).
        from console.callbacks import (
            tasks,  # noqa: F401
            views,
        )
        from console.cases.page_parts import CALLBACKS, part_reader

        part_reader(CALLBACKS, views.case_page_callbacks)
