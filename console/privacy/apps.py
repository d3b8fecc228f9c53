from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """GDPR (AVG): exports and erasure with fiscal retention, retention of raw payloads, the audit
    trail managers read, restricted customers' rules (docs/privacy.md)."""

    name = "console.privacy"
    verbose_name = "Privacy"
