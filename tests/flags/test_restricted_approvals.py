"""Credit approvals about a restricted customer (docs/privacy.md): listed for managers who are
members of its group only, never in the notice every manager's pages show, and deciding one
outside the group answers 404."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from console.flags.approvals import credit_approval_request
from tests.factories import CustomerFactory, add_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(db, restrict):
    customer = CustomerFactory(name="Petra Medewerker")
    add_invoice(customer, number="INV-PZ", amount="2500.00", days_overdue=35)
    approval = credit_approval_request(customer_id=customer.pk, amount=Decimal("900.00"), source="webshop").approval
    restrict(customer)
    return approval


def test_outside_the_group_a_manager_neither_lists_nor_decides_it(client_as, asked):
    client = client_as("manager")
    assert "Medewerker" not in client.get(reverse("flags:approvals")).content.decode()
    assert "Medewerker" not in client.get(reverse("flags:approval-notices")).content.decode()
    decide = client.post(reverse("flags:approval-decide", args=[asked.pk]), {"decision": "approve", "reason": "Ok"})
    assert decide.status_code == 404
    asked.refresh_from_db()
    assert asked.status == "pending"


def test_a_member_lists_it_but_the_shared_notice_still_leaves_it_out(client_as, asked):
    client = client_as("manager")
    client.user.groups.add(Group.objects.get(name="Personeelszaken"))
    assert "Petra Medewerker" in client.get(reverse("flags:approvals")).content.decode()
    assert "Medewerker" not in client.get(reverse("flags:approval-notices")).content.decode()
