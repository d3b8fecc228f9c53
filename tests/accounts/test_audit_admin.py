"""The admin shows the audit trail read-only, and refuses to delete a user the trail names."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from console.accounts.models import AuditEvent
from console.accounts.services import audit_event_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def row(make_user):
    return audit_event_record(actor=make_user("phone"), action=AuditEvent.Action.VIEWED_CUSTOMER, detail="page")


def test_the_admin_lists_the_trail(admin_client, row):
    response = admin_client.get(reverse("admin:accounts_auditevent_changelist"))
    assert response.status_code == 200
    assert row.actor.username in response.content.decode()


def test_the_admin_has_no_add_change_or_delete_for_audit_rows(admin_client, row):
    assert admin_client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    assert admin_client.get(reverse("admin:accounts_auditevent_delete", args=[row.pk])).status_code == 403
    # The change page only shows the row: posting to it changes nothing.
    admin_client.post(reverse("admin:accounts_auditevent_change", args=[row.pk]), {"detail": "rewritten"})
    changelist = admin_client.get(reverse("admin:accounts_auditevent_changelist")).content.decode()
    assert "Delete selected" not in changelist
    assert AuditEvent.objects.get().detail == "page"


def test_deleting_a_user_the_trail_names_is_refused_with_a_reason(admin_client, row):
    url = reverse("admin:auth_user_delete", args=[row.actor_id])
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert "cannot be deleted: the audit trail names them" in response.content.decode()
    assert "Deactivate the user instead" in response.content.decode()
    assert get_user_model().objects.filter(pk=row.actor_id).exists()


def test_a_user_the_trail_does_not_name_can_be_deleted_in_the_admin(admin_client, make_user):
    user = make_user("phone")
    admin_client.post(reverse("admin:auth_user_delete", args=[user.pk]), {"post": "yes"})
    assert not get_user_model().objects.filter(pk=user.pk).exists()
