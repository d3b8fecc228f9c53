"""``live.publish.quiet``: while data nobody looks at yet is loaded (seed_demo), nothing is pushed;
afterwards pushes go out as before."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from console.live.publish import publish, quiet

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_nothing_is_pushed_while_quiet_and_pushes_go_out_again_after():
    layer = get_channel_layer()
    console = await layer.new_channel()
    await layer.group_add("customer.7", console)
    built = []

    def message(n):
        built.append(n)
        return {"type": "flags.changed", "n": n}

    def changes():
        # Outside a transaction a push goes out at once (were it not quiet).
        with quiet():
            publish("customer.7", lambda: message(1))
        publish("customer.7", lambda: message(2))

    await database_sync_to_async(changes)()

    assert (await asyncio.wait_for(layer.receive(console), 3))["n"] == 2
    assert built == [2], "a quiet push is not even rendered"
    await layer.group_discard("customer.7", console)
