from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "console.accounts"
    verbose_name = "Accounts, roles and audit"
