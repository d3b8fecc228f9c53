from django.db import migrations

from console.callbacks.message_templates import TEMPLATES, message_templates_ensure


def templates_add(apps, schema_editor):
    message_templates_ensure(apps.get_model("messaging", "MessageTemplate"))


def templates_remove(apps, schema_editor):
    apps.get_model("messaging", "MessageTemplate").objects.filter(key__in=list(TEMPLATES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("callbacks", "0001_callbacks"),
        ("messaging", "0002_message_templates_sms_social"),
    ]

    operations = [migrations.RunPython(templates_add, templates_remove)]
