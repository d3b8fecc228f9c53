"""The message a complaint's answer goes out with when the agent sends it from the case page
(console.cases.complaints). Admins may edit the text; the key stays."""

from django.db import migrations

COMPLAINT_ANSWER = {
    "description": "The answer to a complaint, sent from the case page when the complaint is closed.",
    "subject_nl": "Antwoord op uw klacht {case_ref}",
    "body_nl": "Beste {name},\n\n{answer}\n\nMet vriendelijke groet,\nKlantenservice",
    "subject_en": "The answer to your complaint {case_ref}",
    "body_en": "Dear {name},\n\n{answer}\n\nKind regards,\nCustomer service",
}


def templates_add(apps, schema_editor):
    apps.get_model("messaging", "MessageTemplate").objects.update_or_create(
        key="complaint_answer", defaults=COMPLAINT_ANSWER
    )


def templates_remove(apps, schema_editor):
    apps.get_model("messaging", "MessageTemplate").objects.filter(key="complaint_answer").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_resolution"),
        ("messaging", "0002_message_templates_sms_social"),
    ]

    operations = [migrations.RunPython(templates_add, templates_remove)]
