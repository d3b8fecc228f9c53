from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpResponseRedirect
from django.urls import reverse

from console.accounts.admin_mixins import ReadOnlyAdmin
from console.accounts.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The trail is append-only (docs/privacy.md): the admin shows it, nobody adds, changes or
    deletes a row here. Managers read it at /privacy/audit/."""

    list_display = ["created_at", "actor", "token", "action", "customer", "detail", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor__username", "customer__customer_number", "detail", "token"]
    raw_id_fields = ["customer", "actor"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithAuditTrailAdmin(UserAdmin):
    """A user the audit trail names cannot be deleted (the trail would lose who did what):
    the admin says so and leads to deactivating them instead."""

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, object_id)
        if user is not None and AuditEvent.objects.filter(actor=user).exists():
            messages.error(
                request,
                f"{user.username} cannot be deleted: the audit trail names them, and it is kept unchanged. "
                "Deactivate the user instead: untick Active and save.",
            )
            return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))
        return super().delete_view(request, object_id, extra_context)
