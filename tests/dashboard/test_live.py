"""The dashboard hears about changes: a manager's socket gets {"type": "dashboard"} once a
change commits; an agent's does not, and a rolled-back change sends nothing."""

import json

import pytest
from channels.db import database_sync_to_async as sync_to_async
from django.db import transaction

from console.cases.services import case_open
from tests.factories import CustomerFactory, add_invoice

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def put_on_hold(name: str, number: str):
    customer = CustomerFactory(name=name)
    add_invoice(customer, number=number, amount="1240.00", days_overdue=47)
    return customer


async def test_a_flag_change_reaches_managers_dashboards_and_not_agents(connect, session_cookie):
    _, manager_cookie = await sync_to_async(session_cookie)("manager")
    _, agent_cookie = await sync_to_async(session_cookie)("webcare")
    manager, connected = await connect(manager_cookie)
    assert connected
    agent, connected = await connect(agent_cookie)
    assert connected

    await sync_to_async(put_on_hold)("Jeroen de Vries", "INV-2026-101")

    assert json.loads(await manager.receive_from(3)) == {"type": "dashboard"}
    assert await agent.receive_nothing(0.5)


async def test_a_change_that_rolls_back_tells_nobody(connect, session_cookie):
    _, cookie = await sync_to_async(session_cookie)("manager")
    manager, _ = await connect(cookie)

    def rolled_back():
        with transaction.atomic():
            put_on_hold("Niemand", "INV-2026-999")
            transaction.set_rollback(True)

    await sync_to_async(rolled_back)()
    assert await manager.receive_nothing(0.5)


async def test_a_new_complaint_reaches_the_dashboard_without_a_flag_change(connect, session_cookie):
    customer = await sync_to_async(CustomerFactory)(name="Marieke Bakker")
    _, cookie = await sync_to_async(session_cookie)("manager")
    manager, _ = await connect(cookie)
    while not await manager.receive_nothing(0.3):  # whatever creating the customer announced
        await manager.receive_from()

    await sync_to_async(case_open)(customer_id=customer.pk, title="Klacht over de bezorging", kind="complaint")

    assert json.loads(await manager.receive_from(3)) == {"type": "dashboard"}
