from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "console.cases"
    verbose_name = "Cases"
