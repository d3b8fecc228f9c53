"""Due callbacks in the phone queue: window and number, soonest due first, late ones marked, live."""

import pytest
import time_machine
from django.urls import reverse

from console.queues.fragments import queue_message
from tests.callbacks.conftest import at
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_the_phone_queue_lists_callbacks_by_due_time_with_late_ones_marked(client_as, promised):
    late = CustomerFactory(name="Anna Bakker", phone="06 11111111")
    soon = CustomerFactory(name="Bram de Wit", phone="06 22222222")
    with time_machine.travel(at(24, 9), tick=False):
        promised(soon, at(24, 13), at(24, 14))
        promised(late, at(24, 10), at(24, 11))
    with time_machine.travel(at(24, 12), tick=False):
        page = client_as("phone").get(reverse("queues:queue", args=["phone"])).content.decode()
    assert page.index("Anna Bakker") < page.index("Bram de Wit")
    assert "Callback late</span> Call back <b>06 11111111</b> between 10:00 and 11:00 (Tue 24-11)" in page
    assert "Call back <b>06 22222222</b> between 13:00 and 14:00 (Tue 24-11)" in page
    assert page.count('class="pill tone-bad">Callback late') == 1


def test_the_live_queue_push_carries_the_window(promised, caller):
    with time_machine.travel(at(24, 9), tick=False):
        promised(caller(), at(24, 13), at(24, 14))
        html = queue_message("phone")["html"]
    assert "Call back <b>06 12345678</b> between 13:00 and 14:00 (Tue 24-11)" in html


@pytest.mark.parametrize("count", [2, 20])
def test_the_queue_with_callbacks_costs_the_same_queries(client_as, promised, count, django_assert_max_num_queries):
    client = client_as("phone")
    with time_machine.travel(at(24, 9), tick=False):
        for n in range(count):
            promised(CustomerFactory(phone=f"06 3333{n:04d}"), at(24, 13), at(24, 14), user=client.user)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("queues:queue", args=["phone"])).status_code == 200
