"""A flag that changes without any new entry (the nightly run, an override) reaches open
consoles: each renders its own header, store without the amounts."""

from datetime import timedelta

import pytest
import time_machine
from channels.db import database_sync_to_async as sync_to_async
from django.utils import timezone

from console.customers.models import Customer
from console.flags.services import flags_recompute
from tests.factories import CustomerFactory, add_invoice
from tests.live.test_consumer import next_message

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def customer_id(db):
    customer = CustomerFactory(name="Sanne Jansen")
    add_invoice(customer, number="INV-1", amount="740.00", days_overdue=0)  # due today: not yet overdue
    return customer.pk


async def credit_badge(communicator) -> str:
    while True:
        html = await next_message(communicator)
        if 'id="customer-header"' in html:
            return html[html.index('data-flag="credit"') :].split("</li>")[0]


async def test_the_nightly_run_pushes_changed_flags_to_each_audience(connect, session_cookie, customer_id):
    _, webcare_cookie = await sync_to_async(session_cookie)("webcare")
    _, store_cookie = await sync_to_async(session_cookie)("store")
    webcare, _ = await connect(webcare_cookie, customer=customer_id)
    store, _ = await connect(store_cookie, customer=customer_id)
    other = await sync_to_async(CustomerFactory)(name="Someone Else")
    elsewhere, _ = await connect(webcare_cookie, customer=other.pk)

    def night_passes():
        with time_machine.travel(timezone.now() + timedelta(days=1)):
            return flags_recompute()

    assert await sync_to_async(night_passes)() >= 1
    seen_by_webcare = await credit_badge(webcare)
    seen_by_store = await credit_badge(store)
    assert "Hold" in seen_by_webcare and "1 invoice overdue, EUR 740 open, oldest 1 day" in seen_by_webcare
    assert "nightly recomputation" in seen_by_webcare
    assert "Hold" in seen_by_store and "1 invoice overdue, oldest 1 day" in seen_by_store and "EUR" not in seen_by_store
    # A console on a customer whose flags did not change hears nothing of it.
    assert await elsewhere.receive_nothing(0.5) or 'id="customer-header"' not in await elsewhere.receive_from()
    assert await sync_to_async(Customer.objects.count)() == 2
