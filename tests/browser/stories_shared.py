"""What the story browser tests (tests/browser/test_stories_*.py) share besides
tests/browser/stories_support.py: the outbox and demo-user fixtures, and the timeline-entry locator.

The five stories of STORIES.md end to end: the demo's "before" state, the simulator's own steps
sent through the public API, and after each step what the agents see in Chromium, live, at the
screen sizes of the people in the story (desk 1280 px, store tablet 768 px).

SCREENSHOT_DIR=docs/img/stories keeps one picture per step for docs/stories.md.
"""

import pytest

from tests.browser.stories_support import demo_users


# Registered under the names the tests ask for ("outbox", "users"): a test module imports the
# functions, and a parameter of the same name as an import would shadow it.
@pytest.fixture(autouse=True, name="outbox")
def outbox_fixture(monkeypatch, settings, tmp_path):
    """SMS "go out" into a folder of the test's own, in the test and in the server it starts."""
    monkeypatch.setenv("OUTBOX_DIR", str(tmp_path / "outbox"))
    settings.OUTBOX_DIR = str(tmp_path / "outbox")


@pytest.fixture(name="users")
def users_fixture(db):
    return demo_users()


def entry(page, text: str):
    """The timeline entry that says ``text``."""
    return page.locator("#timeline-entries li.entry", has_text=text)
