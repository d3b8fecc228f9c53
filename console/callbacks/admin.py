from django.contrib import admin

from console.accounts.admin_mixins import ReadOnlyAdmin
from console.callbacks.models import Callback


@admin.register(Callback)
class CallbackAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: callbacks change through the console, so the case and the customer hear of it."""

    list_display = ["case", "customer", "phone", "window_start", "window_end", "status", "moved_count"]
    list_filter = ["status"]
    search_fields = ["phone", "customer__customer_number", "customer__name"]
    raw_id_fields = ["case", "customer", "promised_by", "made_by"]
