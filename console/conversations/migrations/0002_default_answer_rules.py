"""Which contacts expect an answer, as a new installation starts (an admin edits them)."""

from django.db import migrations

# (channel, expects an answer, team) for contacts (timeline kind "interaction") the customer makes.
DEFAULTS = [
    ("twitter", True, "webcare"),
    ("facebook", True, "webcare"),
    ("instagram", True, "webcare"),
    ("whatsapp", True, "webcare"),
    ("chat", True, "webcare"),
    ("chatbot", True, "webcare"),
    ("sms", True, "phone"),
    ("email", True, "back_office"),
    ("post", True, "back_office"),
    # Answered while they happen, or not a question: a call, a store visit, a web visit.
    ("phone", False, "phone"),
    ("store", False, "store"),
    ("web", False, "webcare"),
]


def rules_add(apps, schema_editor):
    AnswerRule = apps.get_model("conversations", "AnswerRule")
    for channel, expects, team in DEFAULTS:
        AnswerRule.objects.get_or_create(
            kind="interaction", channel=channel, defaults={"expects_answer": expects, "team": team}
        )


class Migration(migrations.Migration):
    dependencies = [("conversations", "0001_initial")]

    operations = [migrations.RunPython(rules_add, migrations.RunPython.noop)]
