"""The full stack's channel layer (console/live/layer.py) on a real Redis: installations that
share a Redis server do not hear each other, the layer closes even when redis-py turns a
cancel into "no message yet", a console reading its own queue on it (ConsoleConsumer) hears
pushes and its page, one page frame at a time, and leaves nothing behind, and a console too far
behind is told to catch up instead of having its pushes queued without end."""

import asyncio

import pytest
from django.conf import settings

from console.live.layer import PubSubChannelLayer

pytestmark = [
    pytest.mark.skipif(not settings.REDIS_URL, reason="the channel layer's own tests need REDIS_URL (a real Redis)"),
    pytest.mark.asyncio,
]


def layer(prefix, **options):
    return PubSubChannelLayer(hosts=[settings.REDIS_URL], prefix=prefix, **options)


async def test_installations_with_their_own_prefix_do_not_hear_each_other():
    staging, production = layer("layertest1"), layer("layertest0")
    try:
        console = await staging.new_channel()
        await staging.group_add("customer.7", console)
        await production.group_send("customer.7", {"type": "timeline.entry", "seq": 1})
        await staging.group_send("customer.7", {"type": "timeline.entry", "seq": 2})
        assert (await asyncio.wait_for(staging.receive(console), 3))["seq"] == 2
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(staging.receive(console), 0.5)
    finally:
        await staging.flush()
        await production.flush()


async def test_a_console_too_far_behind_is_told_to_catch_up_instead_of_queueing_for_ever():
    """Five pushes wait for a console that does not read (its page stopped reading): the sixth
    makes the layer drop them and tell it to catch up, ahead of its page's frame, which stays;
    after that nothing more is queued for it."""
    channels = layer("layertest3", queue_limit=5)
    try:
        console, inbox = await channels.new_inbox()
        other, probe = await channels.new_inbox()
        await channels.group_add("customer.7", console)
        inbox.put_nowait({"type": "websocket.receive", "text": "{}"})
        for seq in range(1, 10):
            await channels.group_send("customer.7", {"type": "timeline.entry", "seq": seq})
        # Published after the nine on the same connection: once it is here, so are they.
        await channels.send(other, {"type": "probe"})
        assert (await asyncio.wait_for(probe.get(), 3))["type"] == "probe"
        waiting = [inbox.get_nowait() for _ in range(inbox.qsize())]
        assert [m["type"] for m in waiting] == ["layer.resync", "websocket.receive"]
        await channels.close_inbox(console)
        assert channels._get_layer().behind == set()
    finally:
        await channels.flush()


async def test_the_layer_closes_when_redis_py_swallows_the_cancel_of_its_read():
    """A cancel that lands as redis-py's read times out can come back as "no message" instead of
    CancelledError (it hung CI at the end of a test, when the event loop closed the layer).
    Here the real read on the real connection is wrapped to do exactly that, once."""
    channels = layer("layertest2")
    await channels.new_channel()  # subscribes, and starts the receiving task
    shard = channels._get_layer()._shards[0]
    pubsub, task = shard._pubsub, shard._receive_task
    real_read, reading = pubsub.get_message, asyncio.Event()

    async def read_that_swallows_a_cancel(*args, **kwargs):
        reading.set()
        try:
            return await real_read(*args, **kwargs)
        except asyncio.CancelledError:
            return None

    pubsub.get_message = read_that_swallows_a_cancel
    await asyncio.wait_for(reading.wait(), 3)
    task.cancel()
    done, _ = await asyncio.wait([task], timeout=2)
    pubsub.get_message = real_read
    if not done:  # so that a failing run still ends: a second cancel, which nothing swallows
        task.cancel()
        await asyncio.wait([task], timeout=2)
    assert done, "the receiving task read on after it was cancelled"
    await asyncio.wait_for(channels.flush(), 3)


@pytest.mark.django_db(transaction=True)
async def test_a_console_hears_pushes_and_its_page_and_leaves_nothing_behind(connect, session_cookie):
    """On this layer a console reads the queue its messages arrive in itself (ConsoleConsumer's
    own loop, not Channels'): a push and the page's own frames both reach it, and when the page
    closes its channel is gone from the process and from Redis."""
    from channels.db import database_sync_to_async
    from channels.layers import get_channel_layer

    from console.live.groups import customer_group
    from tests.factories import CustomerFactory

    customer = await database_sync_to_async(CustomerFactory)(name="Fatima El Amrani")
    _, cookie = await database_sync_to_async(session_cookie)("phone")
    page, connected = await connect(cookie, customer=customer.pk)
    assert connected
    channels = get_channel_layer()
    assert isinstance(channels, PubSubChannelLayer)
    (channel,) = channels._get_layer().channels
    assert await next_frame(page, 'id="presence"')  # the console has joined its customer's group

    await channels.group_send(customer_group(customer.pk), {"type": "customer.reload"})
    assert await next_frame(page, '"reload"')
    await page.send_to(text_data='{"type": "resume", "after": 0}')  # the page's own frame, answered
    assert await next_frame(page, '"seq"')

    await page.disconnect()
    assert channels._get_layer().channels == {}
    redis = channels._get_layer()._shards[0]._redis
    # redis-py sends UNSUBSCRIBE without waiting for Redis, and asks here on another connection.
    for _ in range(40):
        if channel.encode() not in await redis.pubsub_channels(f"{channel[:-8]}*"):
            break
        await asyncio.sleep(0.05)
    assert channel.encode() not in await redis.pubsub_channels(f"{channel[:-8]}*")


async def next_frame(page, text):
    while True:
        frame = await page.receive_from(3)
        if text in frame:
            return frame


@pytest.mark.django_db(transaction=True)
async def test_a_page_that_floods_its_socket_is_read_one_frame_at_a_time(connect, session_cookie):
    """The console reads its page's next frame only once the last one is handled (as Channels'
    own loop does), so frames a page floods in wait in the socket, not in the server's memory."""
    from channels.db import database_sync_to_async
    from channels.layers import get_channel_layer

    from tests.factories import CustomerFactory

    customer = await database_sync_to_async(CustomerFactory)(name="Fatima El Amrani")
    _, cookie = await database_sync_to_async(session_cookie)("phone")
    page, connected = await connect(cookie, customer=customer.pk)
    assert connected
    assert await next_frame(page, 'id="presence"')
    (inbox,) = get_channel_layer()._get_layer().channels.values()
    for _ in range(50):
        await page.send_to(text_data='{"type": "resume", "after": 0}')
    most_waiting, answers = 0, 0
    while not await page.receive_nothing(1):
        answers += '"seq"' in await page.receive_from()
        most_waiting = max(most_waiting, inbox.qsize())
    # Every frame is read and handled in turn (the resumes are merged into fewer replays,
    # console/live/replay.py; tests/live/test_replay.py counts them).
    assert answers >= 1
    assert most_waiting <= 1
