from django.contrib import admin

from console.conversations.models import AnswerRule, ClosedDay, Conversation, InboxTeam, OpeningHours, SlaPolicy


@admin.register(AnswerRule)
class AnswerRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "channel", "expects_answer", "team")
    list_editable = ("expects_answer", "team")
    list_filter = ("kind", "expects_answer", "team")


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    """Targets in business minutes (the opening hours below, without public holidays and closed days)."""

    list_display = (
        "channel",
        "priority",
        "first_response_minutes",
        "next_response_minutes",
        "resolution_minutes",
        "for_gold_customers",
        "for_complaints",
    )
    list_editable = (
        "first_response_minutes",
        "next_response_minutes",
        "resolution_minutes",
        "for_gold_customers",
        "for_complaints",
    )
    list_filter = ("priority", "channel")


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ("weekday", "closed", "opens", "closes")
    list_editable = ("closed", "opens", "closes")


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    """Days closed besides the Dutch public holidays, which the calendar knows by itself."""

    list_display = ("date", "reason")
    date_hierarchy = "date"


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    """The priority and the SLA clocks are decided by the policies (docs/inbox.md), not by hand."""

    list_display = ("customer", "channel", "team", "priority", "assignee", "status", "due_at", "opened_at")
    list_filter = ("status", "team", "channel", "priority")
    raw_id_fields = ("customer", "case", "assignee", "done_by")
    readonly_fields = (
        "priority",
        "priority_reason",
        "opened_at",
        "waiting_since",
        "first_response_at",
        "due_at",
        "warn_at",
        "warned_at",
        "breached_at",
        "resolution_started_at",
        "resolution_paused_since",
        "resolution_paused_seconds",
        "resolution_due_at",
        "resolution_breached_at",
        "done_at",
        "done_by",
        "updated_at",
    )


@admin.register(InboxTeam)
class InboxTeamAdmin(admin.ModelAdmin):
    list_display = ("team", "auto_assign", "capacity")
    list_editable = ("auto_assign", "capacity")
