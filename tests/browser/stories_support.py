"""Playing the stories of console/demo/simulation/stories against the test's ASGI server.

The browser tests reuse the demo's story customers (console/demo/stories.py) and the
simulator's own steps, so what the tests prove is what `manage.py seed_demo` and
`manage.py simulate --story sN` show a live audience. Events go through the public API with
a source token, exactly as the simulator sends them.
"""

import os
from collections.abc import Iterator
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from console.accounts.roles import role_groups_ensure
from console.customers.models import Customer
from console.demo.simulation import STORIES, ApiClient
from console.demo.simulation.stories.scene import Scene, Step
from console.demo.users import demo_users_ensure
from console.ingest.models import ApiToken

# The password tests/factories gives every user, so AsgiServer.login works for demo users too.
PASSWORD = "correct horse battery"  # noqa: S105
# Set SCREENSHOT_DIR to keep one picture per story step (docs/img/stories/ is made this way).
SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR", "")
# The users of STORIES.md: desk agents at 1280 px, store staff on a 768 px tablet.
DESK, TABLET = (1280, 800), (768, 1024)


def demo_users() -> dict:
    """The five demo users (usernames = roles: webcare, phone, store, manager, admin), as seed_demo makes them."""
    # Transactional tests flush the role groups with everything else; put them back first.
    role_groups_ensure(group_model=Group, permission_model=Permission, content_type_model=ContentType)
    return demo_users_ensure(PASSWORD)


class StoryRun:
    """A story's steps, one at a time: each call to ``next_step`` sends that step's events to the
    server through the public API (one by one, or as one batch) and returns the step."""

    def __init__(self, server, key: str):
        _, token = ApiToken.issue(source="simulator", scopes=["events:write", "customers:read", "customers:create"])
        self.client = ApiClient(server.url, token)
        self.scene = Scene(client=self.client, story=key)
        self.steps: Iterator[Step] = STORIES[key][1](self.scene)
        self.number = 0

    def next_step(self) -> Step:
        step = next(self.steps)
        self.number += 1
        if step.batch:
            reply = self.client.post("/api/v1/events/batch", {"events": step.events})
            assert reply.status == 207, reply.body
            statuses = [result["status"] for result in reply.body["results"]]
        else:
            statuses = [self.client.post("/api/v1/events", event).status for event in step.events]
        assert all(status == 201 for status in statuses), (step.say, statuses)
        return step

    def check(self, step: Step) -> str:
        """The read the simulator prints after this step ("API says: ...")."""
        return step.check(self.scene) if step.check else ""

    def close(self):
        self.client.close()


def console_open(browser, server, username: str, *, size=DESK, customer: Customer | None = None):
    """A logged-in page at a story user's screen size, live, on the customer's picture if given."""
    width, height = size
    page = server.login(browser, username, width=width)
    page.set_viewport_size({"width": width, "height": height})
    if customer is not None:
        page.goto(f"{server.url}{customer.get_absolute_url()}")
        expect(page.locator("#live-state")).to_have_attribute("data-state", "live")
    else:
        expect(page.locator("body")).to_have_attribute("data-live", "live")
    page.evaluate("window.stillTheSamePage = true")
    return page


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0


def shoot(page, name: str, *, show=None):
    """A viewport-sized PNG (not the whole page) for docs/stories.md: the top of the page, or
    ``show`` scrolled to just under the sticky top bar."""
    if not SCREENSHOT_DIR:
        return
    if show is None:
        page.evaluate("window.scrollTo(0, 0)")
    else:
        show.first.evaluate(
            "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY"
            " - document.querySelector('.topbar').offsetHeight - 12)"
        )
    Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SCREENSHOT_DIR) / name), full_page=False)
