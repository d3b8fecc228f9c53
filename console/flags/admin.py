from django.contrib import admin

from console.accounts.admin_mixins import ReadOnlyAdmin
from console.flags.models import Flag


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    # Overrides by managers come with the flags issue, through a service that audits them.
    list_display = ["customer", "kind", "level", "reason", "computed_at", "override_level", "override_until"]
    list_filter = ["kind", "level"]
    search_fields = ["customer__customer_number", "customer__name"]
    raw_id_fields = ["customer", "override_by"]
    readonly_fields = ["computed_at"]
