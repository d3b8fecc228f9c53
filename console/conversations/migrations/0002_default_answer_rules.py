"""Which contacts expect an answer, as a new installation starts (an admin edits them)."""

from django.db import migrations

from console.conversations.defaults import answer_rules_ensure


def rules_add(apps, schema_editor):
    answer_rules_ensure(apps.get_model("conversations", "AnswerRule"))


class Migration(migrations.Migration):
    dependencies = [("conversations", "0001_initial")]

    operations = [migrations.RunPython(rules_add, migrations.RunPython.noop)]
