from django.contrib import admin

from console.timeline.models import TimelineEntry


@admin.register(TimelineEntry)
class TimelineEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are written by the services, with their seq, never by hand."""

    list_display = ["customer", "seq", "occurred_at", "channel", "kind", "summary", "actor_source"]
    list_filter = ["channel", "kind"]
    search_fields = ["customer__customer_number", "summary"]
    raw_id_fields = ["customer", "actor_user", "order", "invoice", "return_request", "case"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
