"""Cases, live: a mention reaches the colleague named and nobody else, a queue page hears its
team's changes, managers hear of an escalated complaint."""

import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async as sync_to_async
from django.utils import timezone

from console.cases.complaints import complaints_escalate_overdue
from console.cases.services import case_note_add, case_open, case_update
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def frame_with(communicator, text, timeout=3):
    """Frames until one contains ``text`` (other pushes may come first)."""
    while True:
        frame = await communicator.receive_from(timeout)
        if text in frame:
            return frame


async def frames_until_quiet(communicator, seconds=0.5):
    frames = []
    # receive_nothing, not a timed-out receive: that would cancel the consumer.
    while not await communicator.receive_nothing(seconds):
        frames.append(await communicator.receive_from())
    return frames


@pytest.fixture
def customer_id(db):
    return CustomerFactory(name="Pieter Bakker").pk


async def test_a_mention_notifies_the_colleague_named_and_nobody_else(session_cookie, socket, customer_id):
    author, _ = await sync_to_async(session_cookie)("phone", username="daan", first_name="Daan", last_name="Jansen")
    _, sanne_cookie = await sync_to_async(session_cookie)("store", username="sanne")
    _, piet_cookie = await sync_to_async(session_cookie)("store", username="piet")
    sanne = await socket(sanne_cookie)
    piet = await socket(piet_cookie)
    case = await sync_to_async(case_open)(customer_id=customer_id, title="Tweede SIM-kaart")
    await sync_to_async(case_note_add)(case_id=case.pk, user=author, text="@sanne kun jij de koerier <b>bellen</b>?")

    notice = await frame_with(sanne, "mentioned you")
    assert 'hx-swap-oob="beforeend:#agent-notices"' in notice
    assert f"Daan Jansen mentioned you on {case.reference} (Pieter Bakker)" in notice
    assert "&lt;b&gt;bellen&lt;/b&gt;" in notice and "<b>bellen" not in notice
    assert f'href="/cases/{case.pk}/"' in notice
    assert not any("mentioned you" in f for f in await frames_until_quiet(piet))


async def test_a_change_to_a_case_reaches_its_teams_open_queues(session_cookie, socket, customer_id):
    agent, cookie = await sync_to_async(session_cookie)("phone")
    phone_queue = await socket(cookie, "team=phone")
    store_queue = await socket(cookie, "team=store")
    webcare_queue = await socket(cookie, "team=webcare")

    case = await sync_to_async(case_open)(
        customer_id=customer_id, title="Terugbellen over SIM", team="phone", due_at=timezone.now() - timedelta(hours=1)
    )
    html = await frame_with(phone_queue, 'id="queue-list"')
    assert 'hx-swap-oob="true"' in html and "Terugbellen over SIM" in html and "queue-row overdue" in html

    await sync_to_async(case_update)(case_id=case.pk, user=agent, team="store")
    assert "Terugbellen over SIM" not in await frame_with(phone_queue, 'id="queue-list"')
    assert "Terugbellen over SIM" in await frame_with(store_queue, 'id="queue-list"')
    assert not any("queue-list" in f for f in await frames_until_quiet(webcare_queue))


async def test_an_unknown_team_is_refused(session_cookie):
    from channels.testing import WebsocketCommunicator

    from console.asgi import application
    from tests.cases.conftest import ORIGIN

    _, cookie = await sync_to_async(session_cookie)("phone")
    communicator = WebsocketCommunicator(application, "/ws/console/?team=marketing", [ORIGIN, (b"cookie", cookie)])
    await communicator.connect()
    message = await communicator.receive_output(3)
    assert (message["type"], message["code"]) == ("websocket.close", 4404)


async def test_managers_hear_of_an_escalated_complaint(session_cookie, socket, customer_id):
    _, manager_cookie = await sync_to_async(session_cookie)("manager")
    _, agent_cookie = await sync_to_async(session_cookie)("phone")
    manager = await socket(manager_cookie)
    agent = await socket(agent_cookie)

    def complaint_goes_overdue():
        # Its answer was due an hour ago. (Not by moving the clock: the channel layers keep
        # their groups and messages by the clock too.)
        case = case_open(
            customer_id=customer_id,
            title="Geen antwoord op mijn brief",
            kind="complaint",
            channel="post",
            due_at=timezone.now() - timedelta(hours=1),
        )
        assert complaints_escalate_overdue() == 1
        assert complaints_escalate_overdue() == 0
        return case

    case = await sync_to_async(complaint_goes_overdue)()
    frames = await frames_until_quiet(manager)
    notices = [f for f in frames if "Overdue complaint escalated" in f]
    assert len(notices) == 1  # once, though the job ran twice
    assert f"Pieter Bakker, “Geen antwoord op mijn brief” ({case.reference})" in notices[0]
    assert {"type": "dashboard"} in [json.loads(f) for f in frames if f.startswith("{")]
    assert not any("Overdue complaint" in f for f in await frames_until_quiet(agent))
