from django.contrib import admin

from console.conversations.models import AnswerRule, Conversation, InboxTeam


@admin.register(AnswerRule)
class AnswerRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "channel", "expects_answer", "team")
    list_editable = ("expects_answer", "team")
    list_filter = ("kind", "expects_answer", "team")


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("customer", "channel", "team", "assignee", "status", "due_at", "opened_at")
    list_filter = ("status", "team", "channel")
    raw_id_fields = ("customer", "case", "assignee", "done_by")
    readonly_fields = ("opened_at", "waiting_since", "first_response_at", "done_at", "done_by", "updated_at")


@admin.register(InboxTeam)
class InboxTeamAdmin(admin.ModelAdmin):
    list_display = ("team", "auto_assign", "capacity")
    list_editable = ("auto_assign", "capacity")
