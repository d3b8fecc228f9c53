"""Open consoles on a customer who is erased load the page again (and find it erased)."""

import json

import pytest
from channels.db import database_sync_to_async as sync_to_async

from console.privacy.erasure import customer_erase
from console.privacy.models import ErasureRequest
from console.privacy.services import erasure_decide, erasure_request
from tests.factories import CustomerFactory
from tests.live.conftest import connect, session_cookie  # noqa: F401 - fixtures
from tests.live.test_consumer import next_message

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_an_erasure_makes_open_consoles_reload(connect, session_cookie, make_user):  # noqa: F811
    customer = await sync_to_async(CustomerFactory)(name="Wilhelmina Zonderland")
    agent, cookie = await sync_to_async(session_cookie)("phone")
    socket, connected = await connect(cookie, customer=customer.pk)
    assert connected
    manager = await sync_to_async(make_user)("manager")
    erasure = await sync_to_async(erasure_request)(customer=customer, user=agent, reason="Per brief")
    # Eager tasks run the erasure as soon as the decision commits.
    await sync_to_async(erasure_decide)(erasure_id=erasure.pk, user=manager, approve=True)
    await sync_to_async(customer_erase)(erasure.pk)
    assert (await sync_to_async(ErasureRequest.objects.get)()).status == "done"
    while True:
        text = await next_message(socket)
        if text.startswith("{") and json.loads(text)["type"] == "reload":
            break
