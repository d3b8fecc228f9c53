"""One inbox setting per team, automatic assignment off until an admin switches it on."""

from django.db import migrations


def teams_add(apps, schema_editor):
    InboxTeam = apps.get_model("conversations", "InboxTeam")
    for team in ("webcare", "phone", "store", "back_office"):
        InboxTeam.objects.get_or_create(team=team)


class Migration(migrations.Migration):
    dependencies = [("conversations", "0003_inbox_team")]

    operations = [migrations.RunPython(teams_add, migrations.RunPython.noop)]
