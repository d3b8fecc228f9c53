import pytest
from django.urls import reverse

from console.commerce.models import Return
from console.timeline.models import TimelineEntry
from tests.factories import CustomerFactory, add_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrong_item_order(customer):
    return add_order(
        customer,
        number="WS-2026-0042",
        lines=[
            {"sku": "VH-01", "description": "Vogelhuisje Eiken", "unit_price": "39.95", "status": "wrong_item"},
        ],
    )


def open_return(client, customer, line, reason="wrong_item"):
    return client.post(
        reverse("customers:open-return", args=[customer.pk, line.pk]),
        {"reason": reason},
        headers={"HX-Request": "true"},
    )


def test_the_second_click_opens_a_return_linked_to_the_order(client_as, customer, wrong_item_order):
    client = client_as("phone")
    page = client.get(customer.get_absolute_url()).content.decode()
    line = wrong_item_order.lines.get()
    # Click one opens the menu on the line; click two is the reason button in it.
    assert reverse("customers:open-return", args=[customer.pk, line.pk]) in page
    assert 'name="reason" value="wrong_item"' in page
    response = open_return(client, customer, line)
    assert response.status_code == 200
    ret = Return.objects.get()
    assert (ret.order, ret.reason, ret.opened_by, ret.lines.get().order_line) == (
        wrong_item_order,
        "wrong_item",
        client.user,
        line,
    )
    entry = TimelineEntry.objects.filter(customer=customer, kind="return").get()
    assert entry.return_request == ret and "Vogelhuisje Eiken" in entry.summary
    body = response.content.decode()
    assert ret.return_number in body and "Return open" in body


def test_a_second_return_for_the_same_line_is_refused_with_a_reason(client_as, customer, wrong_item_order):
    client = client_as("store")
    line = wrong_item_order.lines.get()
    open_return(client, customer, line)
    response = open_return(client, customer, line)
    assert response.status_code == 422
    assert "already has an open return" in response.content.decode()
    assert Return.objects.count() == 1


def test_a_line_of_another_customers_order_is_forbidden(client_as, customer):
    other = CustomerFactory()
    order = add_order(other, number="WS-OTHER")
    response = open_return(client_as("phone"), customer, order.lines.get())
    assert response.status_code == 403
    assert not Return.objects.exists()


def test_a_user_without_a_role_cannot_open_returns(client_as, customer, wrong_item_order):
    assert open_return(client_as(None), customer, wrong_item_order.lines.get()).status_code == 403
    assert not Return.objects.exists()
