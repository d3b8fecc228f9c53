"""Create the five role groups with their permissions, in every database."""

from django.db import migrations

from console.accounts.roles import ROLE_CAPABILITIES, role_groups_ensure


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; they are made here so the
    # groups can hold them, and post_migrate then finds them present.
    role_groups_ensure(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
        content_type_model=apps.get_model("contenttypes", "ContentType"),
    )


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[r.value for r in ROLE_CAPABILITIES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
