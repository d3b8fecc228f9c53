from django.db import migrations

# Written complaints get two weeks, social media one day, a call three (issue 7, story S5);
# the row without a channel covers every other channel. Managers change them in the admin.
DEADLINES = {
    "": 5,
    "post": 14,
    "email": 14,
    "twitter": 1,
    "facebook": 1,
    "instagram": 1,
    "whatsapp": 1,
    "chat": 1,
    "phone": 3,
    "store": 3,
}


def add_deadlines(apps, schema_editor):
    ComplaintDeadline = apps.get_model("cases", "ComplaintDeadline")
    for channel, days in DEADLINES.items():
        ComplaintDeadline.objects.get_or_create(channel=channel, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_channel_escalation_complaint_deadlines")]

    operations = [migrations.RunPython(add_deadlines, migrations.RunPython.noop)]
