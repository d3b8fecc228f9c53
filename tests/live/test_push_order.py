"""What an open console shows when pushes come late, out of order, twice or not at all: every
entry appears once (never missing, never doubled), a late push never turns the panels back to
an older state, and a console that missed a push hears of it from the ticker a tick later,
while a console that has everything hears nothing."""

import asyncio
import json

import pytest
import time_machine
from channels.db import database_sync_to_async as sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from console.customers.models import Customer
from console.live import presence
from console.live.groups import customer_group
from console.live.ticker import ticker
from console.picture.fragments import entry_message
from console.timeline.models import TimelineEntry
from tests.factories import CustomerFactory, add_entries
from tests.live.test_consumer import next_message, nothing_but_presence, record

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def customer_id(db, settings):
    settings.LIVE_TICK_SECONDS = 3600  # the ticker ticks only when a test says so
    customer = CustomerFactory(name="Fatima El Amrani")
    add_entries(customer, 5, channel="chatbot", summary="Vraag aan de chatbot")
    return customer.pk


@sync_to_async
def unpushed(customer_id, summary) -> TimelineEntry:
    """An entry committed with the customer's next seq whose push never went out."""
    with transaction.atomic():
        Customer.objects.filter(pk=customer_id).update(last_seq=F("last_seq") + 1)
        seq = Customer.objects.values_list("last_seq", flat=True).get(pk=customer_id)
        return TimelineEntry.objects.create(
            customer_id=customer_id,
            seq=seq,
            kind="interaction",
            channel="chat",
            summary=summary,
            occurred_at=timezone.now(),
        )


async def push(entry):
    """The push of an entry, as publish.py sends it after commit."""
    await get_channel_layer().group_send(customer_group(entry.customer_id), await sync_to_async(entry_message)(entry))


async def caught_up(connect, session_cookie, customer_id):
    """A console that opened the picture with entries 1-5 and resumed after 5."""
    _, cookie = await sync_to_async(session_cookie)("phone")
    console, connected = await connect(cookie, customer=customer_id)
    assert connected
    await console.send_to(json.dumps({"type": "resume", "after": 5}))
    assert json.loads(await next_message(console)) == {"type": "seq", "latest": 5}
    return console


async def test_pushes_out_of_order_show_each_entry_once(connect, session_cookie, customer_id):
    console = await caught_up(connect, session_cookie, customer_id)
    six, seven = await unpushed(customer_id, "Zesde vraag"), await unpushed(customer_id, "Zevende vraag")
    await push(seven)
    await push(six)
    first, second = await next_message(console), await next_message(console)
    assert 'data-seq="7"' in first and "Zevende vraag" in first and 'id="activity"' in first
    # Entry 6 still comes; its panels, rendered before 7 was there, would turn them back.
    assert 'data-seq="6"' in second and "Zesde vraag" in second and 'id="activity"' not in second
    await push(six)  # pushes of entries already shown, with panels no newer than the page's
    await push(seven)
    assert await nothing_but_presence(console)


async def test_a_late_push_after_a_replay_changes_nothing(connect, session_cookie, customer_id):
    console = await caught_up(connect, session_cookie, customer_id)
    six = await unpushed(customer_id, "Zesde vraag")
    await console.send_to(json.dumps({"type": "resume", "after": 5}))
    replay = await next_message(console)
    assert 'data-seq="6"' in replay and "Zesde vraag" in replay and 'id="activity"' in replay
    assert json.loads(await next_message(console)) == {"type": "seq", "latest": 6}
    await push(six)  # the replay brought entry 6 and the panels as they are after it
    assert await nothing_but_presence(console)
    await sync_to_async(record)(customer_id, "Zevende vraag")  # a new entry still comes whole
    frame = await next_message(console)
    assert 'data-seq="7"' in frame and "Zevende vraag" in frame and 'id="activity"' in frame


async def test_a_page_back_from_a_lost_connection_gets_the_panels_even_without_new_entries(
    connect, session_cookie, customer_id
):
    console = await caught_up(connect, session_cookie, customer_id)
    await console.send_to(json.dumps({"type": "resume", "after": 5, "panels": True}))
    frame = await next_message(console)
    assert 'id="customer-header"' in frame and "data-seq" not in frame
    assert json.loads(await next_message(console)) == {"type": "seq", "latest": 5}


async def test_the_ticker_is_silent_to_a_console_that_has_every_entry(connect, session_cookie, customer_id):
    console = await caught_up(connect, session_cookie, customer_id)
    await ticker().tick()
    await ticker().tick()  # reports seq 5, read at the tick before
    assert await nothing_but_presence(console)
    await sync_to_async(record)(customer_id, "Gewoon aangekomen")
    assert 'data-seq="6"' in await next_message(console)
    await ticker().tick()
    await ticker().tick()  # reports seq 6, which the console has
    assert await nothing_but_presence(console)


async def test_a_lost_push_is_reported_by_the_ticker_one_tick_later(connect, session_cookie, customer_id):
    console = await caught_up(connect, session_cookie, customer_id)
    await ticker().tick()  # reads seq 5
    await unpushed(customer_id, "Push kwijtgeraakt")
    await ticker().tick()  # reads 6, reports 5: a push of 6 may still be on its way
    assert await nothing_but_presence(console)
    await ticker().tick()  # reports 6
    assert json.loads(await next_message(console)) == {"type": "seq", "latest": 6}
    # The page resumes, as it does on a seq beyond its own, and has everything again.
    await console.send_to(json.dumps({"type": "resume", "after": 5}))
    assert "Push kwijtgeraakt" in await next_message(console)
    assert json.loads(await next_message(console)) == {"type": "seq", "latest": 6}
    await ticker().tick()
    assert await nothing_but_presence(console)


async def test_colleagues_who_stay_on_the_page_stay_in_also_here(connect, session_cookie, customer_id, settings):
    """The ticks keep every open console's presence line fresh: well past the time a line goes
    stale, both agents are still there for each other. The clock is the test's (a line is stale
    after three ticks of it): on the wall clock, a busy machine that held up a 0.2 s tick for
    0.6 s made Daan stale for Noor ("Also here" empty), though his page was open."""
    settings.LIVE_TICK_SECONDS = 5  # the ticker's own ticks are not waited for: the test ticks
    with time_machine.travel(timezone.now(), tick=True) as clock:
        _, phone = await sync_to_async(session_cookie)("phone", first_name="Daan", last_name="Smit")
        _, store = await sync_to_async(session_cookie)("store", first_name="Noor", last_name="de Boer")
        daan, _ = await connect(phone, customer=customer_id)
        noor, _ = await connect(store, customer=customer_id)
        # A console joins the ticker just after its socket opens; ticks before that, on a busy
        # machine, found nobody to keep fresh (and, finding nobody, never let the consoles run).
        deadline = asyncio.get_running_loop().time() + 5
        while len(ticker().consoles.get(customer_id, ())) < 2:
            assert asyncio.get_running_loop().time() < deadline, "the consoles never joined the ticker"
            await asyncio.sleep(0.01)
        for _ in range(6):  # 24 s: without the ticks both lines would be stale (15 s)
            clock.shift(4)
            await ticker().tick()
        here = await presence.registry().viewers(customer_id, stale_after=15, limit=10)
    assert sorted(info["name"] for _, info in here) == ["Daan Smit", "Noor de Boer"]
    # And what Noor's page shows never dropped Daan meanwhile.
    frames = 0
    while not await noor.receive_nothing(0.1):
        frame = await noor.receive_from()
        if frame.startswith('<p id="presence"'):
            frames += 1
            assert "Daan Smit" in frame
    assert frames >= 1
