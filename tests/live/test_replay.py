"""A flood of ``resume`` frames (live/replay.py): one replay in flight per connection, the
resumes that arrive meanwhile merged into the next, and a cap on what one connection is sent by
replays per minute; the page still gets everything it asked for, once the minute has passed."""

import json
import time

import pytest
from channels.db import database_sync_to_async as sync_to_async

from console.live import replay
from tests.factories import CustomerFactory, add_entries

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]
FLOOD = 100


@pytest.fixture
def customer_id(db):
    customer = CustomerFactory(name="Fatima El Amrani")
    add_entries(customer, 60, channel="chatbot", summary="Vraag aan de chatbot")
    return customer.pk


@pytest.fixture
def clock(monkeypatch):
    """The replay budget's clock, moved by hand (the only thing not real here)."""

    class Clock:
        now = time.monotonic()

    monkeypatch.setattr(replay, "_now", lambda: Clock.now)
    return Clock


async def drain(communicator, quiet=1.0) -> list[str]:
    """Every frame until the socket has been quiet for ``quiet`` seconds; presence frames left out."""
    frames = []
    while not await communicator.receive_nothing(quiet):
        text = await communicator.receive_from()
        if not text.startswith('<p id="presence"'):
            frames.append(text)
    return frames


def replays(frames) -> list[dict]:
    return [json.loads(f) for f in frames if f.startswith('{"type": "seq"')]


async def flood(connect, session_cookie, customer_id):
    _, cookie = await sync_to_async(session_cookie)("webcare")
    communicator, connected = await connect(cookie, customer=customer_id)
    assert connected
    started = time.monotonic()
    for _ in range(FLOOD):
        await communicator.send_to(json.dumps({"type": "resume", "after": 0, "panels": True}))
    frames = await drain(communicator)
    return communicator, frames, time.monotonic() - started


async def test_a_flood_of_resumes_costs_a_few_replays_not_a_hundred(connect, session_cookie, customer_id, settings):
    settings.LIVE_REPLAY_BYTES_PER_MINUTE = 0  # no cap: merging alone
    _, frames, took = await flood(connect, session_cookie, customer_id)
    sent = sum(len(f) for f in frames)
    print(f"{FLOOD} resumes with panels: {len(replays(frames))} replays, {sent:,} bytes, {took:.1f} s")
    # One in flight, the frames meanwhile merged into the next: two, or a few when the machine is
    # slow to hand the frames over.
    assert 1 <= len(replays(frames)) <= 10
    assert replays(frames)[-1] == {"type": "seq", "latest": 60}
    assert all(f'id="entry-{seq}"' in "".join(frames) for seq in range(1, 61))


async def test_past_the_cap_the_next_replay_waits_for_the_minute_and_then_comes(
    connect, session_cookie, customer_id, settings, clock
):
    settings.LIVE_REPLAY_BYTES_PER_MINUTE = 1  # one replay spends it
    communicator, frames, _ = await flood(connect, session_cookie, customer_id)
    assert len(replays(frames)) == 1
    await communicator.send_to(json.dumps({"type": "resume", "after": 0, "panels": True}))
    assert await drain(communicator) == [], "a replay went out past the cap"
    clock.now += replay.WINDOW_SECONDS + 1
    later = await drain(communicator, quiet=2.0)
    assert replays(later) == [{"type": "seq", "latest": 60}]
    assert 'id="entry-1"' in later[0]  # (the panels are on the page already: this connection sent them)
