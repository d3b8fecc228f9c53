"""The resolution clock and the reason for a conversation's priority (docs/inbox.md).

Conversations open at the upgrade get a resolution clock from their opening; one waiting on the
customer counts as paused since its last change (when it was answered, or later). Their
resolution due time is worked out at their next wait: the calendar is not read in a migration.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def clocks_start(apps, schema_editor):
    conversation = apps.get_model("conversations", "Conversation")
    open_ = conversation.objects.filter(status__in=["awaiting_reply", "waiting_on_customer"])
    open_.update(resolution_started_at=F("opened_at"))
    open_.filter(status="waiting_on_customer").update(resolution_paused_since=F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_complaint_answer_template"),
        ("conversations", "0009_inbox_list_indexes"),
        ("customers", "0006_address_status_moved"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="priority_reason",
            field=models.CharField(
                blank=True, choices=[("gold", "Gold customer"), ("complaint", "Complaint")], max_length=10
            ),
        ),
        migrations.AddField(
            model_name="conversation",
            name="resolution_breached_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="conversation",
            name="resolution_due_at",
            field=models.DateTimeField(blank=True, help_text="When it must be done.", null=True),
        ),
        migrations.AddField(
            model_name="conversation",
            name="resolution_paused_seconds",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="conversation",
            name="resolution_paused_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="conversation",
            name="resolution_started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="conversation",
            index=models.Index(
                condition=models.Q(
                    ("resolution_breached_at__isnull", True), ("status__in", ["awaiting_reply", "waiting_on_customer"])
                ),
                fields=["resolution_due_at"],
                name="conversation_to_resolve",
            ),
        ),
        migrations.RunPython(clocks_start, migrations.RunPython.noop),
    ]
