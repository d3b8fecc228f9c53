"""The five stories of STORIES.md replayed through the event API against the seeded customers.

Each story yields steps: the events source systems send at that moment (one by one, or in
one batch when they happen at once) and a line saying what the agents should now see,
so a presenter can run ``--story s3`` and point at the screen. Event ids are new on every
run, so a story can be replayed as often as the demo needs.
"""

from collections.abc import Callable

from ..client import ApiClient, Reply, Tally
from .s1 import s1
from .s2 import s2
from .s3 import s3
from .s4 import s4
from .s5 import s5
from .scene import Scene

__all__ = ["STORIES", "story_play"]

# key -> (title, script)
STORIES = {
    "s1": ("S1 — The birdhouse and the wrong CD (front office blind to back office)", s1),
    "s2": ("S2 — Mail that keeps coming back (returned post is a signal)", s2),
    "s3": ("S3 — Last night's chatbot question (touchpoints, not silos)", s3),
    "s4": ("S4 — A journey, not a string of contacts (journey management)", s4),
    "s5": ("S5 — Two SIM cards and a courier at the door (off the green path)", s5),
}


def story_play(
    client: ApiClient, key: str, *, tally: Tally, write: Callable[[str], None], pause: Callable[[], None]
) -> None:
    title, script = STORIES[key]
    write(f"\n{title}")
    scene = Scene(client=client, story=key)
    for number, step in enumerate(script(scene), start=1):
        if number > 1:
            pause()
        write(f"  {number}. {step.say}")
        if step.batch:
            _send_batch(client, step.events, tally)
        else:
            for event in step.events:
                tally.record(client.post("/api/v1/events", event), event)
        if step.check:
            write(f"     API says: {step.check(scene)}")


def _send_batch(client: ApiClient, events: list[dict], tally: Tally) -> None:
    reply = client.post("/api/v1/events/batch", {"events": events})
    if reply.status != 207:
        for event in events:
            tally.record(reply, event, note="batch refused")
        return
    for event, result in zip(events, reply.body["results"], strict=True):
        tally.record(Reply(result["status"], result["body"]), event, note="batch")
