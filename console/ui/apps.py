from django.apps import AppConfig


class UiConfig(AppConfig):
    """What every page shares and no domain owns: icons, the CSRF field, how amounts are written
    (the ``console_ui`` template library and ``console.ui.money``). It imports no other app."""

    name = "console.ui"
    verbose_name = "Shared presentation"
