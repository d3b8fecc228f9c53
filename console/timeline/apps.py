from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "console.timeline"
    verbose_name = "Timeline"
