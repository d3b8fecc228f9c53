import pytest
from django.contrib.auth.models import Group

from console.accounts.roles import Capability

pytestmark = pytest.mark.django_db

EXPECTED = {
    "webcare": {"view_customers", "view_invoices", "record_interactions", "send_messages"},
    "phone": {"view_customers", "view_invoices", "record_interactions", "send_messages"},
    "store": {"view_customers", "record_interactions"},
    "manager": {"view_customers", "view_invoices", "record_interactions", "send_messages", "manage_flags"},
    "admin": {c.codename for c in Capability},
}


def test_the_migration_creates_the_five_roles_with_exactly_their_permissions():
    groups = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    assert groups == EXPECTED


def test_store_staff_may_not_see_invoices_but_may_record(make_user):
    store = make_user("store")
    assert store.has_perm(Capability.RECORD_INTERACTIONS)
    assert not store.has_perm(Capability.VIEW_INVOICES)
    assert not store.has_perm(Capability.MANAGE_FLAGS)
