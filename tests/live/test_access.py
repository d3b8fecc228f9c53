"""Rights follow the user on open sockets (live/access.py, live/signals.py): deactivating a
user, taking their role away or logging out closes their open consoles within seconds, with a
message the page shows; a colleague's console stays open; an idle session's consoles close when
it expires."""

import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async as sync_to_async
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.factories import CustomerFactory, add_entries
from tests.live.test_consumer import nothing_but_presence

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def customer_id(db):
    customer = CustomerFactory(name="Fatima El Amrani")
    add_entries(customer, 2)
    return customer.pk


async def ended(communicator, timeout=5) -> tuple[dict, int]:
    """The access_ended message and the close code that follows it, within ``timeout`` seconds."""
    while True:
        output = await communicator.receive_output(timeout)
        if output["type"] == "websocket.close":
            pytest.fail(f"closed with {output['code']} without telling the page why")
        text = output.get("text", "")
        if text.startswith('{"type": "access_ended"'):
            close = await communicator.receive_output(timeout)
            assert close["type"] == "websocket.close"
            return json.loads(text), close["code"]


@pytest.fixture
def open_console(connect, session_cookie, customer_id):
    async def open_one(role="phone", user=None, expires_in=None):
        if user is None:
            user, cookie = await sync_to_async(session_cookie)(role)
        else:
            cookie = await sync_to_async(_login)(user)
        if expires_in is not None:
            await sync_to_async(_expire_in)(cookie, expires_in)
        communicator, connected = await connect(cookie, customer=customer_id)
        assert connected
        return user, communicator, cookie

    return open_one


def _login(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


def _expire_in(cookie: bytes, seconds: float) -> None:
    key = cookie.decode().split("=", 1)[1]
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=seconds))


@sync_to_async
def _save(user, **fields):
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()


async def test_deactivating_a_user_closes_their_consoles_and_not_a_colleagues(open_console):
    user, mine, _ = await open_console()
    _, colleague, _ = await open_console()
    await _save(user, is_active=False)
    message, code = await ended(mine)
    assert (message["reason"], code) == ("deactivated", 4401)
    assert "deactivated" in message["message"]
    assert await nothing_but_presence(colleague)


async def test_taking_the_role_away_closes_with_4403(open_console):
    user, mine, _ = await open_console("webcare")
    await sync_to_async(user.groups.remove)(await sync_to_async(Group.objects.get)(name="webcare"))
    message, code = await ended(mine)
    assert (message["reason"], code) == ("role_removed", 4403)


async def test_emptying_a_role_from_the_group_side_closes_its_members_consoles(open_console):
    user, mine, _ = await open_console("store")
    await sync_to_async(lambda: Group.objects.get(name="store").user_set.clear())()
    assert (await ended(mine))[0]["reason"] == "role_removed"


async def test_logging_out_closes_that_sessions_consoles_only(open_console):
    user, mine, cookie = await open_console("phone")
    _, other_browser, _ = await open_console(user=user)
    client = Client()
    client.cookies["sessionid"] = cookie.decode().split("=", 1)[1]
    response = await sync_to_async(client.post)("/accounts/logout/")
    assert response.status_code == 302
    message, code = await ended(mine)
    assert (message["reason"], code) == ("signed_out", 4401)
    assert await nothing_but_presence(other_browser)


async def test_a_password_changed_elsewhere_ends_the_sessions_from_before(open_console):
    user, mine, _ = await open_console("phone")
    await sync_to_async(user.set_password)("a new and long passphrase")
    await _save(user)
    assert (await ended(mine))[0]["reason"] == "signed_out"


async def test_a_console_closes_when_its_idle_session_expires(open_console):
    # A session due in two seconds (SESSION_IDLE_HOURS without a request, as good as): the console
    # looks again when it is due, and closes.
    message, code = await ended((await open_console(expires_in=2))[1], timeout=10)
    assert (message["reason"], code) == ("session_expired", 4401)
