"""Create the five role groups with their permissions, in every database."""

from django.db import migrations

from console.accounts.roles import ROLE_CAPABILITIES


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    # Permissions are normally created after all migrations; make them now so the groups
    # can hold them. post_migrate finds them present and leaves them alone.
    content_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="auditevent")
    for role, capabilities in ROLE_CAPABILITIES.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        for capability in capabilities:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=capability.codename, defaults={"name": capability.label}
            )
            group.permissions.add(permission)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[r.value for r in ROLE_CAPABILITIES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
