from django.contrib import admin

from console.accounts.admin_mixins import ReadOnlyAdmin
from console.timeline.models import TimelineEntry


@admin.register(TimelineEntry)
class TimelineEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: entries are written by the services, with their seq, never by hand or deleted."""

    list_display = ["customer", "seq", "occurred_at", "channel", "kind", "summary", "actor_source"]
    list_filter = ["channel", "kind"]
    search_fields = ["customer__customer_number", "summary"]
    raw_id_fields = ["customer", "actor_user", "order", "invoice", "return_request", "case"]
