"""Who may see a restricted customer (console/customers/selectors.py, docs/privacy.md), and
restricting one in the admin: audited, naming the group; a merge never lets a restriction go."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from console.accounts.models import AuditEvent
from console.customers.models import Customer
from console.customers.selectors import customer_for_user, may_see, restricted_members, visible_customers
from console.picture.merge import customer_merge
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def employee(db):
    return CustomerFactory(name="Petra Medewerker", customer_number="C-700001")


def test_a_member_of_the_group_sees_the_customer_and_nobody_else_does(employee, restrict, make_user):
    group = restrict(employee)
    member, manager, superuser = make_user("phone"), make_user("manager"), make_user("admin", is_superuser=True)
    member.groups.add(group)
    assert may_see(member, employee) and visible_customers(member).filter(pk=employee.pk).exists()
    for outsider in (manager, superuser):
        assert not may_see(outsider, employee)
        assert not visible_customers(outsider).filter(pk=employee.pk).exists()
    assert restricted_members(employee.pk) == [member.pk]


def test_a_group_that_is_no_role_counts_as_much_as_a_role(employee, restrict, make_user):
    restrict(employee, "webcare")
    assert may_see(make_user("webcare"), employee)
    assert not may_see(make_user("phone"), employee)


def test_a_merged_away_record_leads_nowhere_for_an_outsider(employee, restrict, make_user):
    old = CustomerFactory(name="Petra Medewerker")
    customer_merge(user=make_user("phone"), survivor_id=employee.pk, merged_id=old.pk)
    restrict(employee)
    with pytest.raises(Http404):
        customer_for_user(make_user("phone"), old.pk, follow_merge=True)


def test_merging_a_restricted_record_into_another_restricts_the_one_kept(employee, restrict, make_user):
    kept = CustomerFactory(name="Petra Medewerker")
    group = restrict(employee)
    member = make_user("phone")
    member.groups.add(group)
    customer_merge(user=member, survivor_id=kept.pk, merged_id=employee.pk)
    assert Customer.objects.get(pk=kept.pk).restricted_to == group


def test_two_records_restricted_to_different_groups_are_not_merged(employee, restrict, make_user):
    other = CustomerFactory(name="Petra Medewerker")
    member = make_user("phone")
    member.groups.add(restrict(employee), restrict(other, "Directie"))
    with pytest.raises(ValidationError, match="different groups"):
        customer_merge(user=member, survivor_id=other.pk, merged_id=employee.pk)


def test_restricting_in_the_admin_is_audited_with_the_group(client, make_user, employee):
    admin = make_user("admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    group = Group.objects.create(name="Personeelszaken")
    url = reverse("admin:customers_customer_change", args=[employee.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "restricted_to"}
    data |= {
        "restricted_to": group.pk,
        "identifiers-TOTAL_FORMS": 0,
        "identifiers-INITIAL_FORMS": 0,
        "addresses-TOTAL_FORMS": 0,
        "addresses-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert Customer.objects.get(pk=employee.pk).restricted_to == group
    data["restricted_to"] = ""
    assert client.post(url, data).status_code == 302
    assert Customer.objects.get(pk=employee.pk).restricted_to is None
    audited = AuditEvent.objects.filter(action=AuditEvent.Action.RESTRICTED_CUSTOMER, customer=employee)
    assert list(audited.order_by("pk").values_list("actor", "detail")) == [
        (admin.pk, "Restricted to Personeelszaken"),
        (admin.pk, "No longer restricted (was: only Personeelszaken)"),
    ]


def test_saving_a_customer_without_changing_the_restriction_audits_nothing(employee, restrict):
    group = restrict(employee)
    restrict(employee)  # the same group again
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RESTRICTED_CUSTOMER).count() == 1
    assert group.name == "Personeelszaken"
