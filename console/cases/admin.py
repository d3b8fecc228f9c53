from django.contrib import admin

from console.cases.models import Case, ComplaintDeadline


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["title", "customer", "kind", "status", "owner", "team", "due_at", "escalated_at"]
    list_filter = ["kind", "status", "team"]
    search_fields = ["title", "customer__customer_number", "customer__name"]
    raw_id_fields = ["customer", "owner"]


@admin.register(ComplaintDeadline)
class ComplaintDeadlineAdmin(admin.ModelAdmin):
    """How many days the company takes to answer a complaint, per channel it came in on.

    A change applies to complaints opened from then on; open ones keep their deadline.
    """

    list_display = ["__str__", "channel", "days"]
    list_editable = ["days"]
    list_display_links = ["__str__"]
