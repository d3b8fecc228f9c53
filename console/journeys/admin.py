from django.contrib import admin

from console.accounts.admin_mixins import ReadOnlyAdmin
from console.accounts.roles import Capability
from console.journeys.models import CaseJourney, JourneyFailure, JourneyStep, JourneyTemplate


class _AdministerOnly:
    """Journey templates are managed by admins (the role with "Manage ... journey templates")."""

    def _administers(self, request) -> bool:
        return request.user.is_active and request.user.has_perm(Capability.ADMINISTER)

    def has_module_permission(self, request):
        return self._administers(request)

    def has_view_permission(self, request, obj=None):
        return self._administers(request)

    def has_add_permission(self, request, obj=None):
        return self._administers(request)

    def has_change_permission(self, request, obj=None):
        return self._administers(request)

    def has_delete_permission(self, request, obj=None):
        return self._administers(request)


class JourneyStepInline(_AdministerOnly, admin.StackedInline):
    model = JourneyStep
    extra = 0
    fields = [("position", "title"), ("event_type", "message_template_key"), "conditions"]


class JourneyFailureInline(_AdministerOnly, admin.StackedInline):
    model = JourneyFailure
    extra = 0
    fields = [("title", "step"), ("event_type", "message_template_key"), "conditions", "choices"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the steps of the template being edited.
        if db_field.name == "step":
            template_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = JourneyStep.objects.filter(template_id=template_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(JourneyTemplate)
class JourneyTemplateAdmin(_AdministerOnly, admin.ModelAdmin):
    list_display = ["name", "active", "channel", "step_count"]
    list_filter = ["active"]
    search_fields = ["name"]
    inlines = [JourneyStepInline, JourneyFailureInline]

    @admin.display(description="Steps")
    def step_count(self, obj):
        return obj.steps.count()


@admin.register(CaseJourney)
class CaseJourneyAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    # Journeys move only through their services (the timeline and the customer's messages go with them).
    list_display = ["case", "template", "order_number", "state", "current_step", "updated_at"]
    list_filter = ["state", "template"]
    search_fields = ["order_number", "case__title", "case__customer__customer_number"]
    raw_id_fields = ["case"]
