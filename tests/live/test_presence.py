"""The presence registry the ticker refreshes (console/live/presence.py): in Redis on the full
stack, in memory in the embedded mode; the same behaviour from both."""

import asyncio
import uuid

import pytest

from console.live import presence

pytestmark = pytest.mark.asyncio


def line(name, typing=False):
    return (
        f"conn-{uuid.uuid4().hex}",
        {"user": name, "name": name, "role": "phone", "channel": "phone", "typing": typing},
    )


async def test_one_tick_refreshes_every_line_and_tells_each_customer_its_own_viewers():
    first, second = 9_000_000 + uuid.uuid4().int % 1_000_000, 8_000_000 + uuid.uuid4().int % 1_000_000
    daan, noor, sem = line("Daan"), line("Noor", typing=True), line("Sem")
    registry = presence.registry()

    found = await registry.tick({first: [daan, noor], second: [sem]}, stale_after=0.5, limit=10)

    assert sorted((conn, info["name"], info["typing"]) for conn, info in found[first]) == sorted(
        [(daan[0], "Daan", False), (noor[0], "Noor", True)]
    )
    assert [conn for conn, _ in found[second]] == [sem[0]]

    # Sem's console keeps ticking; Daan's and Noor's stopped (their process died): gone once stale.
    await asyncio.sleep(0.3)
    await registry.tick({second: [sem]}, stale_after=0.5, limit=10)
    await asyncio.sleep(0.3)
    found = await registry.tick({first: [], second: [sem]}, stale_after=0.5, limit=10)
    assert found == {first: [], second: [(sem[0], sem[1])]}
    assert await registry.viewers(first, stale_after=0.5, limit=10) == []
    await registry.leave(second, sem[0])
