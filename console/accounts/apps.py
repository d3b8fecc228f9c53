from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "console.accounts"
    verbose_name = "Accounts, roles and audit"

    def ready(self):
        from console.accounts import signals  # noqa: F401 - registers the receivers
