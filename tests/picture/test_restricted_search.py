"""Searching for a restricted customer (docs/privacy.md): outside its group, in every role, the
customer is not found by name, number, e-mail, phone or order number, and an exact number opens
nothing; a member finds it as any customer. The search page, the list shown while typing, and
the merge screen's search alike."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import CustomerFactory, add_order

pytestmark = pytest.mark.django_db

ROLES = ["webcare", "phone", "store", "manager", "admin"]
TYPED = ["Petra Medewerker", "medewerk", "C-700001", "petra@example.nl", "06 87654321", "WS-PZ-1"]


@pytest.fixture
def employee(db, restrict):
    customer = CustomerFactory(
        name="Petra Medewerker", customer_number="C-700001", email="petra@example.nl", phone="06 87654321"
    )
    add_order(customer, number="WS-PZ-1")
    restrict(customer)
    return customer


def _as(client_as, role, *, member):
    client = client_as(role)
    if member:
        client.user.groups.add(Group.objects.get(name="Personeelszaken"))
    return client


@pytest.mark.parametrize("role", ROLES)
def test_outside_its_group_the_customer_is_not_found(client_as, employee, role):
    client = _as(client_as, role, member=False)
    for typed in TYPED:
        page = client.get(reverse("customers:search"), {"q": typed})
        assert page.status_code == 200, typed  # the list, not a redirect to the customer
        assert employee.get_absolute_url() not in page.content.decode(), typed
        typing = client.get(reverse("customers:search"), {"q": typed}, headers={"HX-Request": "true"})
        assert employee.get_absolute_url() not in typing.content.decode(), typed
        assert "C-700001" not in typing.content.decode().replace(f"“{typed}”", ""), typed


@pytest.mark.parametrize("role", ROLES)
def test_a_member_finds_the_customer_as_any(client_as, employee, role):
    client = _as(client_as, role, member=True)
    assert client.get(reverse("customers:search"), {"q": "C-700001"})["Location"] == employee.get_absolute_url()
    typing = client.get(reverse("customers:search"), {"q": "medewerk"}, headers={"HX-Request": "true"})
    assert employee.get_absolute_url() in typing.content.decode()


def test_others_of_the_same_name_are_still_found(client_as, employee):
    other = CustomerFactory(name="Petra Medewerker-Jansen")
    page = _as(client_as, "phone", member=False).get(reverse("customers:search"), {"q": "Medewerker"})
    body = page.content.decode()
    assert other.get_absolute_url() in body and employee.get_absolute_url() not in body


def test_the_merge_screen_does_not_find_it_outside_its_group(client_as, employee):
    other = CustomerFactory(name="Petra Medewerker")
    client = _as(client_as, "phone", member=False)
    url = reverse("customers:merge", args=[other.pk])
    for typed in ("C-700001", "Petra Medewerker"):
        body = client.get(url, {"other": typed}).content.decode()
        assert f"No other customer matches “{typed}”" in body, typed
        assert employee.get_absolute_url() not in body, typed
    refused = client.post(url, {"other": employee.pk, "survivor": other.pk})
    assert refused.status_code == 422
    assert "could not be found" in refused.content.decode()
