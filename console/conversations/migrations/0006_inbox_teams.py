"""One inbox setting per team, automatic assignment off until an admin switches it on."""

from django.db import migrations

from console.conversations.defaults import inbox_teams_ensure


def teams_add(apps, schema_editor):
    inbox_teams_ensure(apps.get_model("conversations", "InboxTeam"))


class Migration(migrations.Migration):
    dependencies = [("conversations", "0005_inbox_team")]

    operations = [migrations.RunPython(teams_add, migrations.RunPython.noop)]
