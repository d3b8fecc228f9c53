"""Team queues and the managers' lists leave restricted customers out (docs/privacy.md): a queue
and the dashboard are one list for everyone looking, pushed to all alike."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from console.cases.services import case_open
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _case(customer, title):
    return case_open(customer_id=customer.pk, title=title, kind="question", channel="phone", team="phone")


def test_a_restricted_customers_case_is_in_no_team_queue(client_as, restrict):
    employee = CustomerFactory(name="Petra Medewerker")
    _case(employee, "Salarisstrook klopt niet")
    _case(CustomerFactory(name="Gewone Klant"), "Pakket kwijt")
    restrict(employee)
    client = client_as("phone")
    html = client.get(reverse("queues:queue", args=["phone"])).content.decode()
    assert "Pakket kwijt" in html and "Salarisstrook" not in html
    client.user.groups.add(Group.objects.get(name="Personeelszaken"))
    # Members too: the queue is pushed to every open queue page alike; they find the case on the picture.
    assert "Salarisstrook" not in client.get(reverse("queues:queue", args=["phone"])).content.decode()
