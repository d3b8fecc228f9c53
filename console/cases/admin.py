from django.contrib import admin

from console.cases.models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["title", "customer", "kind", "status", "owner", "team", "due_at"]
    list_filter = ["kind", "status", "team"]
    search_fields = ["title", "customer__customer_number", "customer__name"]
    raw_id_fields = ["customer", "owner"]
