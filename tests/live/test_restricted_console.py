"""A restricted customer's picture console (docs/privacy.md): refused to everyone outside its
group with the close code of an unknown customer (4404), in every role; open for a member; and an
open console closes when its customer becomes restricted or its user leaves the group."""

import json

import pytest
from channels.db import database_sync_to_async as sync_to_async
from django.contrib.auth.models import Group
from django.test import Client

from console.customers.services import identifier_add
from console.ingest.models import ApiToken
from tests.factories import CustomerFactory, add_entries
from tests.ingest.events import event
from tests.live.test_access import ended
from tests.live.test_consumer import closed_with, nothing_but_presence

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ROLES = ["webcare", "phone", "store", "manager", "admin"]


@pytest.fixture
def employee(db):
    customer = CustomerFactory(name="Petra Medewerker")
    add_entries(customer, 2)
    return customer


@sync_to_async
def _join(user, group: str) -> None:
    user.groups.add(Group.objects.get_or_create(name=group)[0])


@pytest.mark.parametrize("role", ROLES)
async def test_a_non_member_is_refused_as_for_an_unknown_customer(connect, session_cookie, employee, restrict, role):
    await sync_to_async(restrict)(employee)
    _, cookie = await sync_to_async(session_cookie)(role)
    communicator, _ = await connect(cookie, customer=employee.pk)
    assert await closed_with(communicator) == 4404


async def test_a_superuser_who_is_no_member_is_refused_too(connect, session_cookie, employee, restrict):
    await sync_to_async(restrict)(employee)
    _, cookie = await sync_to_async(session_cookie)("admin", is_superuser=True)
    communicator, _ = await connect(cookie, customer=employee.pk)
    assert await closed_with(communicator) == 4404


@pytest.mark.parametrize("role", ROLES)
async def test_a_member_in_any_role_gets_the_console(connect, session_cookie, employee, restrict, role):
    await sync_to_async(restrict)(employee)
    user, cookie = await sync_to_async(session_cookie)(role)
    await _join(user, "Personeelszaken")
    communicator, connected = await connect(cookie, customer=employee.pk)
    assert connected
    assert await nothing_but_presence(communicator)


async def test_an_open_console_closes_when_its_customer_becomes_restricted(connect, session_cookie, employee, restrict):
    _, cookie = await sync_to_async(session_cookie)("phone")
    member, member_cookie = await sync_to_async(session_cookie)("phone")
    await _join(member, "Personeelszaken")
    outsider, _ = await connect(cookie, customer=employee.pk)
    insider, _ = await connect(member_cookie, customer=employee.pk)
    await sync_to_async(restrict)(employee)
    message, code = await ended(outsider)
    assert (message["reason"], code) == ("customer_gone", 4404)
    assert "no longer available" in message["message"]
    assert await nothing_but_presence(insider)


async def test_an_open_console_closes_when_its_user_leaves_the_group(connect, session_cookie, employee, restrict):
    group = await sync_to_async(restrict)(employee)
    member, cookie = await sync_to_async(session_cookie)("webcare")
    await _join(member, "Personeelszaken")
    communicator, connected = await connect(cookie, customer=employee.pk)
    assert connected
    await sync_to_async(member.groups.remove)(group)
    assert (await ended(communicator))[1] == 4404


async def test_a_console_on_another_customer_stays_open(connect, session_cookie, employee, restrict):
    other = await sync_to_async(CustomerFactory)(name="Gewone Klant")
    _, cookie = await sync_to_async(session_cookie)("phone")
    communicator, connected = await connect(cookie, customer=other.pk)
    assert connected
    await sync_to_async(restrict)(employee)
    assert await nothing_but_presence(communicator)


async def _call_for(agent: str, customer) -> None:
    """The telephony system says a call from the customer rings at this agent's desk."""
    await sync_to_async(identifier_add)(customer_id=customer.pk, kind="phone", value="0623456789")
    _, token = await sync_to_async(ApiToken.issue)(source="telephony", scopes=["events:write"])
    body = event(
        "call.started",
        {"call_id": f"c-{agent}", "from_number": "06 23456789", "agent": agent},
        customer={"phone": "06 23456789"},
    )
    response = await sync_to_async(Client().post)(
        "/api/v1/events",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201


async def test_a_call_from_a_restricted_customer_pops_up_for_a_member_only(connect, session_cookie, employee, restrict):
    await sync_to_async(restrict)(employee)
    _, outsider_cookie = await sync_to_async(session_cookie)("phone", username="daan")
    member, member_cookie = await sync_to_async(session_cookie)("phone", username="sanne")
    await _join(member, "Personeelszaken")
    outsider, _ = await connect(outsider_cookie)
    insider, _ = await connect(member_cookie)
    await _call_for("daan", employee)
    assert await outsider.receive_nothing(0.5)
    await _call_for("sanne", employee)
    assert json.loads(await insider.receive_from(3))["type"] == "screen_pop"
