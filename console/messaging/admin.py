from django.contrib import admin

from console.accounts.admin_mixins import ReadOnlyAdmin
from console.messaging.models import OutboundMessage, Statement


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: messages move between statuses only through messaging.services."""

    list_display = ["customer", "channel", "template_key", "to_address", "status", "created_at", "sent_at"]
    list_filter = ["channel", "status", "template_key"]
    search_fields = ["customer__customer_number", "to_address", "idempotency_key", "backend_ref"]
    raw_id_fields = ["customer", "statement", "requested_by"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["customer", "period", "invoice_count", "open_total", "overdue_total", "created_at"]
    list_filter = ["period"]
    search_fields = ["customer__customer_number"]
    raw_id_fields = ["customer", "requested_by"]
