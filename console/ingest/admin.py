from django.contrib import admin, messages
from django.utils import timezone

from console.accounts.admin_mixins import ReadOnlyAdmin
from console.ingest.models import ApiToken, InboundEvent


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with ``manage.py issue_token`` (the plain token is shown once, there)."""

    list_display = ["source", "token_prefix", "scopes", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["source"]
    readonly_fields = ["source", "scopes", "token_prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} token(s) revoked.", messages.SUCCESS)


@admin.register(InboundEvent)
class InboundEventAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["received_at", "source", "event_id", "type", "customer"]
    list_filter = ["source", "type"]
    search_fields = ["event_id", "customer__customer_number"]
    raw_id_fields = ["customer", "token"]
