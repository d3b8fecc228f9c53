"""The five demo users, one per role, and the table the command prints about them."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from console.accounts.roles import Role

# Printed by the command and in the README on purpose: it is a demo, not a secret.
DEFAULT_PASSWORD = "klantbeeld-demo"  # noqa: S105

# username (= role name, so a demo audience can guess it), first name, last name.
DEMO_USERS = [
    (Role.WEBCARE, "Lotte", "Visser"),
    (Role.PHONE, "Daan", "Smit"),
    (Role.STORE, "Noor", "de Boer"),
    (Role.MANAGER, "Joost", "Mulder"),
    (Role.ADMIN, "Ingrid", "Hendriks"),
]
DEMO_USERNAMES = [role.value for role, _, _ in DEMO_USERS]


@dataclass
class DemoUser:
    user: object
    role: str
    password_note: str


def demo_users_exist() -> bool:
    return get_user_model().objects.filter(username__in=DEMO_USERNAMES).count() == len(DEMO_USERNAMES)


@transaction.atomic
def demo_users_ensure(password: str) -> dict[str, DemoUser]:
    """Create missing demo users with ``password``; put every one in its role group.

    An existing user keeps its password: someone may have changed it on a shared demo
    machine on purpose. ``--reset`` is the way to start over with a known password.
    """
    User = get_user_model()
    result = {}
    for role, first, last in DEMO_USERS:
        user = User.objects.filter(username=role.value).first()
        created = user is None
        if created:
            user = User.objects.create_user(username=role.value, password=password)
        user.first_name, user.last_name = first, last
        # Only admin may use /admin/; the others work in the console itself.
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.save()
        # The migration makes the groups; get_or_create keeps a half-migrated test DB working.
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        result[role.value] = DemoUser(user, role.label, password if created else _note(user, password))
    return result


def demo_users_read(password: str) -> dict[str, DemoUser]:
    """The demo users as they are, without changing anything (the "already present" path)."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_USERNAMES)}
    return {
        role.value: DemoUser(users[role.value], role.label, _note(users[role.value], password))
        for role, _, _ in DEMO_USERS
        if role.value in users
    }


def demo_users_delete() -> int:
    User = get_user_model()
    return User.objects.filter(username__in=DEMO_USERNAMES).delete()[1].get(User._meta.label, 0)


def _note(user, password: str) -> str:
    # Printing a password that no longer works would send the demo audience to a locked door.
    return password if user.check_password(password) else "(existing password kept; --reset sets it)"


def user_table(users: dict[str, DemoUser]) -> list[str]:
    rows = [("Username", "Role", "Name", "Password")]
    rows += [(u.user.username, u.role, u.user.get_full_name(), u.password_note) for u in users.values()]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines
