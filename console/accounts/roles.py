"""The five roles of DESIGN.md and what each may do.

Roles are Django groups with these exact names; what a role may do is a Django permission
on the group, so a check reads ``user.has_perm(Capability.X)`` everywhere: views,
services, the API and websocket consumers.
"""

from django.core.exceptions import PermissionDenied
from django.db import models


class Role(models.TextChoices):
    WEBCARE = "webcare", "Webcare"
    PHONE = "phone", "Phone"
    STORE = "store", "Store"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Admin"


class Capability(models.TextChoices):
    """Permission names (``app_label.codename``) that the roles are built from."""

    VIEW_CUSTOMERS = "accounts.view_customers", "Search and view customers, timeline, orders, returns, flags"
    VIEW_INVOICES = "accounts.view_invoices", "See the invoice list and amounts"
    RECORD_INTERACTIONS = "accounts.record_interactions", "Record interactions, notes, returns, cases, callbacks"
    SEND_MESSAGES = "accounts.send_messages", "Send messages to customers"
    MANAGE_FLAGS = "accounts.manage_flags", "Override flags, approve credit exceptions, dashboards, audit log"
    ADMINISTER = "accounts.administer", "Manage users, teams, tokens and journey templates"

    @property
    def codename(self):
        return self.value.split(".", 1)[1]


ROLE_CAPABILITIES = {
    Role.WEBCARE: [
        Capability.VIEW_CUSTOMERS,
        Capability.VIEW_INVOICES,
        Capability.RECORD_INTERACTIONS,
        Capability.SEND_MESSAGES,
    ],
    Role.PHONE: [
        Capability.VIEW_CUSTOMERS,
        Capability.VIEW_INVOICES,
        Capability.RECORD_INTERACTIONS,
        Capability.SEND_MESSAGES,
    ],
    Role.STORE: [Capability.VIEW_CUSTOMERS, Capability.RECORD_INTERACTIONS],
    Role.MANAGER: [
        Capability.VIEW_CUSTOMERS,
        Capability.VIEW_INVOICES,
        Capability.RECORD_INTERACTIONS,
        Capability.SEND_MESSAGES,
        Capability.MANAGE_FLAGS,
    ],
    Role.ADMIN: list(Capability),
}


def require(user, capability: Capability) -> None:
    """Raise PermissionDenied unless the user has the capability; used by services."""
    if user is None or not user.is_authenticated or not user.has_perm(capability):
        raise PermissionDenied(f"Your role does not allow this ({capability.label.lower()}).")


def role_names(user) -> list[str]:
    """The user's role names, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_klantbeeld_roles"):
        user._klantbeeld_roles = sorted(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    return user._klantbeeld_roles


# The roles that are also teams: an agent of one answers that team's conversations and queue.
TEAM_ROLES = (Role.WEBCARE, Role.PHONE, Role.STORE)


def team_roles(user) -> list[str]:
    """The teams the user works in, by role (managers and admins: none of their own)."""
    return [name for name in role_names(user) if name in TEAM_ROLES]


def agent_channel(user) -> str:
    """The channel an agent usually works on, preselected when they record something."""
    names = role_names(user)
    if "store" in names:
        return "store"
    if "webcare" in names:
        return "chat"
    return "phone"


def role_groups_ensure(*, group_model, permission_model, content_type_model) -> None:
    """Create the role groups with their permissions; running it again changes nothing.

    Takes the model classes so the data migration can pass its historical models, and a
    test database that was flushed can pass the real ones.
    """
    content_type, _ = content_type_model.objects.get_or_create(app_label="accounts", model="auditevent")
    for role, capabilities in ROLE_CAPABILITIES.items():
        group, _ = group_model.objects.get_or_create(name=role.value)
        for capability in capabilities:
            permission, _ = permission_model.objects.get_or_create(
                content_type=content_type, codename=capability.codename, defaults={"name": capability.label}
            )
            group.permissions.add(permission)
