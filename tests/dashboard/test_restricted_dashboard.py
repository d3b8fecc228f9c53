"""The dashboard's lists name customers: a restricted one is in them only for a manager who is a
member of its group (docs/privacy.md)."""

import pytest
from django.contrib.auth.models import Group

from tests.dashboard.conftest import section
from tests.factories import CustomerFactory, add_invoice

pytestmark = pytest.mark.django_db


def test_a_restricted_customer_on_hold_is_listed_for_members_only(client_as, restrict):
    employee = CustomerFactory(name="Petra Medewerker")
    add_invoice(employee, number="INV-PZ", amount="2500.00", days_overdue=35)
    other = CustomerFactory(name="Groot Achterstand")
    add_invoice(other, number="INV-B", amount="600.00", days_overdue=40)
    restrict(employee)
    client = client_as("manager")
    for url in ("/dashboard/", "/dashboard/sections/"):
        hold = section(client.get(url).content.decode(), "dash-hold", end="</div>")
        assert "Groot Achterstand" in hold and "Medewerker" not in hold, url
    client.user.groups.add(Group.objects.get(name="Personeelszaken"))
    assert "Petra Medewerker" in section(client.get("/dashboard/").content.decode(), "dash-hold", end="</div>")
