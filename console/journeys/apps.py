from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "console.journeys"
    verbose_name = "Guided journeys"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from console.cases.page_parts import JOURNEY, part_reader
        from console.journeys import models, selectors, tasks, views
        from console.reactions import EVENT_APPLIED, hear

        hear(EVENT_APPLIED, tasks.event_applied)
        part_reader(JOURNEY, views.case_page_journey)

        # Any change to a template, step or failure changes which events journeys listen to
        # (the event API asks that on every event, from the cache).
        for model in (models.JourneyTemplate, models.JourneyStep, models.JourneyFailure):
            post_save.connect(
                selectors.templates_changed, sender=model, dispatch_uid=f"journeys-{model.__name__}-saved"
            )
            post_delete.connect(
                selectors.templates_changed, sender=model, dispatch_uid=f"journeys-{model.__name__}-deleted"
            )
