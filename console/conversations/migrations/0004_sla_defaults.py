"""The SLA policies and opening hours a new installation starts with (an admin edits them;
docs/inbox.md, "SLA and business hours", lists them)."""

from datetime import time

from django.db import migrations

# (channel, priority, first response, next response, resolution), in business minutes.
POLICIES = [
    ("", "normal", 60, 120, 1440),
    ("", "high", 30, 60, 720),
    ("", "urgent", 15, 30, 480),
    # An e-mail or a letter is answered in kind: a working day, two for a letter.
    ("email", "normal", 480, 480, 2880),
    ("email", "high", 240, 240, 1440),
    ("email", "urgent", 120, 240, 1440),
    ("post", "normal", 1440, 1440, 4320),
    ("post", "high", 720, 720, 2880),
    ("post", "urgent", 480, 720, 2880),
]
# Gold customers get "high", complaints "urgent" (the any-channel policies carry the marks).
GOLD_PRIORITY, COMPLAINT_PRIORITY = "high", "urgent"
# Monday to Friday 08:00-20:00, Saturday 09:00-17:00, Sunday closed (None).
HOURS = [(time(8), time(20))] * 5 + [(time(9), time(17)), None]


def defaults_add(apps, schema_editor):
    SlaPolicy = apps.get_model("conversations", "SlaPolicy")
    OpeningHours = apps.get_model("conversations", "OpeningHours")
    for channel, priority, first, following, resolution in POLICIES:
        SlaPolicy.objects.get_or_create(
            channel=channel,
            priority=priority,
            defaults={
                "first_response_minutes": first,
                "next_response_minutes": following,
                "resolution_minutes": resolution,
                "for_gold_customers": not channel and priority == GOLD_PRIORITY,
                "for_complaints": not channel and priority == COMPLAINT_PRIORITY,
            },
        )
    for weekday, hours in enumerate(HOURS):
        opens, closes = hours or (None, None)
        OpeningHours.objects.get_or_create(
            weekday=weekday, defaults={"closed": hours is None, "opens": opens, "closes": closes}
        )


class Migration(migrations.Migration):
    dependencies = [("conversations", "0003_sla_business_hours")]

    operations = [migrations.RunPython(defaults_add, migrations.RunPython.noop)]
