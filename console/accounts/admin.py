from django.contrib import admin

from console.accounts.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "customer", "detail", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor__username", "customer__customer_number", "detail"]
    raw_id_fields = ["customer", "actor"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
