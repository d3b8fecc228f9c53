"""The live websocket as a browser meets it: subscriptions refused or accepted, pushes after
commit only, replay after a seq, presence, screen pops."""

import json

import pytest
from channels.db import database_sync_to_async as sync_to_async
from django.db import transaction

from console.timeline.services import timeline_entry_record
from tests.factories import CustomerFactory, add_entries

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def next_message(communicator, *, presence=False, timeout=3):
    """The next frame of the kind asked for; presence frames come and go on their own."""
    while True:
        text = await communicator.receive_from(timeout)
        if text.startswith('<p id="presence"') == presence:
            return text


async def nothing_but_presence(communicator, seconds=0.5):
    # receive_nothing, not a timed-out receive: that would cancel the consumer.
    while not await communicator.receive_nothing(seconds):
        if not (await communicator.receive_from()).startswith('<p id="presence"'):
            return False
    return True


async def closed_with(communicator):
    message = await communicator.receive_output(3)
    assert message["type"] == "websocket.close"
    return message["code"]


@pytest.fixture
def customer_id(db):
    customer = CustomerFactory(name="Fatima El Amrani")
    add_entries(customer, 5, channel="chatbot", summary="Vraag aan de chatbot")
    return customer.pk


def record(customer_id, summary, **fields):
    return timeline_entry_record(customer_id=customer_id, kind="interaction", channel="chat", summary=summary, **fields)


async def test_without_a_login_the_socket_is_closed_4401(connect, customer_id):
    communicator, _ = await connect(customer=customer_id)
    assert await closed_with(communicator) == 4401


async def test_a_user_without_a_role_is_closed_4403(connect, session_cookie, customer_id):
    _, cookie = await sync_to_async(session_cookie)(None)
    communicator, _ = await connect(cookie, customer=customer_id)
    assert await closed_with(communicator) == 4403


async def test_an_unknown_customer_is_closed_4404(connect, session_cookie):
    _, cookie = await sync_to_async(session_cookie)("phone")
    communicator, _ = await connect(cookie, customer=999999)
    assert await closed_with(communicator) == 4404


async def test_a_foreign_origin_is_refused(connect, session_cookie, customer_id):
    _, cookie = await sync_to_async(session_cookie)("phone")
    _, connected = await connect(cookie, customer=customer_id, origin=(b"origin", b"https://evil.example"))
    assert not connected


async def test_resume_replays_the_entries_after_a_seq_oldest_first(connect, session_cookie, customer_id):
    _, cookie = await sync_to_async(session_cookie)("webcare")
    communicator, connected = await connect(cookie, customer=customer_id)
    assert connected
    await communicator.send_to(json.dumps({"type": "resume", "after": 2}))
    html = await next_message(communicator)
    assert html.index('id="entry-3"') < html.index('id="entry-4"') < html.index('id="entry-5"')
    assert 'id="entry-2"' not in html and 'hx-swap-oob="afterbegin:#timeline-entries"' in html
    assert json.loads(await next_message(communicator)) == {"type": "seq", "latest": 5}


async def test_a_committed_entry_is_pushed_and_a_rolled_back_one_is_not(connect, session_cookie, customer_id):
    _, cookie = await sync_to_async(session_cookie)("phone")
    communicator, _ = await connect(cookie, customer=customer_id)

    def rolled_back():
        with pytest.raises(RuntimeError), transaction.atomic():
            record(customer_id, "Nooit vastgelegd")
            raise RuntimeError("the write fails after the entry")

    await sync_to_async(rolled_back)()
    assert await nothing_but_presence(communicator)
    await sync_to_async(record)(customer_id, "Wel vastgelegd")
    html = await next_message(communicator)
    assert 'id="entry-6"' in html and "Wel vastgelegd" in html and "Nooit" not in html


async def test_store_staff_get_the_push_without_invoice_details(connect, session_cookie, customer_id):
    from tests.factories import add_invoice

    _, cookie = await sync_to_async(session_cookie)("store")
    communicator, _ = await connect(cookie, customer=customer_id)
    from console.customers.models import Customer

    target = await sync_to_async(Customer.objects.get)(pk=customer_id)
    await sync_to_async(add_invoice)(target, number="INV-2026-881", amount="740.00", days_overdue=47)
    html = await next_message(communicator)
    assert "details are for finance roles" in html
    assert "INV-2026-881" not in html.split('id="panel-orders"')[0]


async def until(communicator, text):
    """Presence frames until one mentions ``text`` (an empty one may come first)."""
    while True:
        frame = await next_message(communicator, presence=True)
        if text in frame:
            return frame


async def test_viewers_see_each_other_arrive_type_and_leave(connect, session_cookie, customer_id):
    _, lotte_cookie = await sync_to_async(session_cookie)("webcare", first_name="Lotte", last_name="Visser")
    _, noor_cookie = await sync_to_async(session_cookie)("store", first_name="Noor", last_name="de Boer")
    lotte, _ = await connect(lotte_cookie, customer=customer_id)
    noor, _ = await connect(noor_cookie, customer=customer_id)
    assert "Noor de Boer" in await until(lotte, "Noor de Boer")
    assert "Lotte Visser" in await until(noor, "Lotte Visser")
    await noor.send_to(json.dumps({"type": "typing", "typing": True}))
    assert "is typing" in await until(lotte, "is typing")
    await noor.disconnect()
    left = await next_message(lotte, presence=True)
    assert "Noor" not in left


async def test_a_colleague_with_two_tabs_open_is_one_person_and_my_own_tabs_are_not_others(
    connect, session_cookie, customer_id
):
    _, lotte_cookie = await sync_to_async(session_cookie)("webcare", first_name="Lotte", last_name="Visser")
    _, daan_cookie = await sync_to_async(session_cookie)("phone", first_name="Daan", last_name="Smit")
    daan, _ = await connect(daan_cookie, customer=customer_id)
    await connect(daan_cookie, customer=customer_id)  # Daan's second tab
    lotte_tab, _ = await connect(lotte_cookie, customer=customer_id)
    await connect(lotte_cookie, customer=customer_id)  # and Lotte's
    await lotte_tab.send_to(json.dumps({"type": "typing", "typing": True}))

    frame = await until(daan, "is typing")
    assert frame.count("Lotte Visser") == 1 and "Daan Smit" not in frame


async def test_a_call_pops_the_picture_on_that_agents_screen_only(connect, session_cookie, customer_id):
    from django.test import Client

    from console.ingest.models import ApiToken
    from tests.ingest.events import event

    daan, daan_cookie = await sync_to_async(session_cookie)("phone", username="daan")
    _, other_cookie = await sync_to_async(session_cookie)("phone", username="sanne")
    daan_socket, _ = await connect(daan_cookie)
    other_socket, _ = await connect(other_cookie)
    from console.customers.services import identifier_add

    await sync_to_async(identifier_add)(customer_id=customer_id, kind="phone", value="0623456789")
    _, token = await sync_to_async(ApiToken.issue)(source="telephony", scopes=["events:write"])
    body = event(
        "call.started",
        {"call_id": "c-9", "from_number": "06 23456789", "agent": "daan"},
        customer={"phone": "06 23456789"},
    )
    response = await sync_to_async(Client().post)(
        "/api/v1/events",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    pop = json.loads(await next_message(daan_socket))
    assert pop == {
        "type": "screen_pop",
        "url": f"/customers/{customer_id}/",
        "name": "Fatima El Amrani",
        "customer_number": pop["customer_number"],
        "reason": "Incoming call from +31623456789",
    }
    assert await nothing_but_presence(other_socket)


async def test_a_merge_makes_open_consoles_reload(connect, session_cookie, customer_id):
    from console.picture.merge import customer_merge

    user, cookie = await sync_to_async(session_cookie)("phone")
    other = await sync_to_async(CustomerFactory)(name="Fatima el Amrani")
    survivor_socket, _ = await connect(cookie, customer=customer_id)
    merged_socket, _ = await connect(cookie, customer=other.pk)
    await sync_to_async(customer_merge)(user=user, survivor_id=customer_id, merged_id=other.pk)
    for socket in (survivor_socket, merged_socket):
        while True:
            text = await next_message(socket)
            if text.startswith("{") and json.loads(text)["type"] == "reload":
                break


async def test_a_message_that_fails_shows_as_failed_on_every_open_console(connect, session_cookie, settings):
    """Its status changes after the message was written: the messages list is pushed again."""
    from console.messaging.models import MessageTemplate
    from console.messaging.services import message_to_customer

    settings.MESSAGING_BACKENDS = {**settings.MESSAGING_BACKENDS, "sms": "tests.messaging.backends.Refusing"}

    def customer_with_a_mobile() -> int:
        MessageTemplate.objects.create(key="test_text", body_nl="Uw SIM-kaart is onderweg.", body_en="-")
        return CustomerFactory(phone="06 12345678").pk

    customer_id = await sync_to_async(customer_with_a_mobile)()
    _, cookie = await sync_to_async(session_cookie)("phone")
    phone, _ = await connect(cookie, customer=customer_id)
    _, store_cookie = await sync_to_async(session_cookie)("store")
    store, _ = await connect(store_cookie, customer=customer_id)

    # Written, then (tasks run in-process here) sent after commit, and refused by the gateway.
    await sync_to_async(message_to_customer)(customer_id=customer_id, template_key="test_text", channel="sms")
    for console, may_send in ((phone, True), (store, False)):
        frame = await next_message(console)
        while "sender id blocked" not in frame or 'id="message-list"' not in frame:
            frame = await next_message(console)
        assert '<span class="pill st-failed"' in frame and "1 not sent" in frame
        assert ("Send again" in frame) is may_send


async def test_a_push_sent_the_moment_the_socket_is_open_reaches_the_page(connect, session_cookie, customer_id):
    """The page hears "open" once its socket is subscribed: a call that pops the agent's screen
    right after the page opened its socket is not lost while the server checks the agent's rights."""
    from channels.layers import get_channel_layer

    from console.customers.fragments import screen_pop_message
    from console.live.groups import agent_group

    daan, cookie = await sync_to_async(session_cookie)("phone", username="daan")
    pop = await sync_to_async(screen_pop_message)(customer_id=customer_id, reason="Incoming call")
    page, connected = await connect(cookie)
    assert connected
    await get_channel_layer().group_send(agent_group(daan.pk), pop)
    assert json.loads(await next_message(page))["url"] == f"/customers/{customer_id}/"
