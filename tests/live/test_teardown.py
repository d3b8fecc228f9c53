"""The suite's own clean-up after a live test that waited in vain: a receive that times out
cancels the console's consumer, and the teardown that closes the test's sockets must still end
cleanly, or pytest stops tearing down before the database is flushed and every later test
starts with this one's rows (tests/conftest.py, ``websockets``)."""

import pytest
from channels.db import database_sync_to_async as sync_to_async

from tests.factories import CustomerFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_a_socket_whose_wait_timed_out_is_torn_down_cleanly(connect, session_cookie):
    customer = await sync_to_async(CustomerFactory)(name="Sanne Jansen")
    _, cookie = await sync_to_async(session_cookie)("phone")
    console, connected = await connect(cookie, customer=customer.pk)
    assert connected
    while True:  # the presence line, then nothing: the wait times out and cancels the consumer
        try:
            await console.receive_from(0.5)
        except TimeoutError:
            break
    assert console.future.cancelled()
