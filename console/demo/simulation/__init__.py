"""``manage.py simulate``: realistic traffic and the five stories, sent to a running console.

The simulator is an integrator like any other: it knows the console only by URL and token
and uses nothing but the public event and reading API, so what it shows in a demo is what
a real source system would get.
"""

import random
import time
from collections.abc import Callable

from .client import ApiClient, ConsoleUnreachable, Reply, SimulationError, Tally
from .stories import STORIES, story_play
from .traffic import Traffic, customers_fetch

__all__ = [
    "STORIES",
    "ApiClient",
    "ConsoleUnreachable",
    "Reply",
    "SimulationError",
    "Tally",
    "traffic_run",
    "stories_run",
]


def traffic_run(
    client: ApiClient,
    *,
    tally: Tally,
    rate: float,
    count: int | None,
    duration: float | None,
    seed: int | None,
    write: Callable[[str], None],
    clock=time.monotonic,
    sleep=time.sleep,
) -> None:
    """Send background events at ``rate`` per second until ``count`` or ``duration`` is reached."""
    rng = random.Random(seed)
    people = customers_fetch(client, rng)
    if not people:
        raise SimulationError(
            "No customers found to send traffic for. Seed some first: .venv/bin/python manage.py seed_demo"
        )
    limits = [f"{count} events" if count else "", f"{duration:g} s" if duration else ""]
    write(
        f"Background traffic at {rate:g} events/s over {len(people)} customers, "
        f"until {' or '.join(filter(None, limits)) or 'Ctrl-C'}."
    )
    traffic, interval = Traffic(people, rng), 1.0 / rate
    deadline = clock() + duration if duration else None
    next_at = clock()
    while count is None or tally.sent < count:
        if deadline is not None and next_at >= deadline:
            break
        wait = next_at - clock()
        if wait > 0:
            sleep(wait)
        event = traffic.next_event()
        tally.record(client.post("/api/v1/events", event), event)
        # Behind schedule (a slow answer, a 429 wait): go on at the rate from now rather than
        # bursting to catch up, which is what "paced" means to the console under test.
        next_at = max(next_at + interval, clock())


def stories_run(
    client: ApiClient, keys: list[str], *, tally: Tally, rate: float, write: Callable[[str], None], sleep=time.sleep
) -> None:
    """Play the stories in order, ``rate`` steps per second, so a presenter can follow on screen."""
    tally.prefix = "     "
    for index, key in enumerate(keys):
        if index:
            sleep(1.0 / rate)
        story_play(client, key, tally=tally, write=write, pause=lambda: sleep(1.0 / rate))
