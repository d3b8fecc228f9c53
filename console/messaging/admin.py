from django.contrib import admin

from console.accounts.admin_mixins import ReadOnlyAdmin
from console.messaging.models import MessageTemplate, OutboundMessage, Statement


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


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """The texts customers get, in Dutch and English. The key is what the code asks for, so it
    cannot be changed or the template deleted here; the text can, and applies from the next
    message on. The form refuses placeholders that are not plain names ({name})."""

    list_display = ["key", "description", "subject_nl", "updated_at"]
    search_fields = ["key", "description", "subject_nl", "body_nl", "subject_en", "body_en"]
    fields = ["key", "description", ("subject_nl", "subject_en"), ("body_nl", "body_en")]

    def get_readonly_fields(self, request, obj=None):
        return ["key"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False
