from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from console.callbacks.message_templates import message_templates_ensure
from console.callbacks.services import callback_promise
from console.messaging.models import MessageTemplate
from tests.browser.conftest import browser  # noqa: F401 - Chromium for test_browser.py
from tests.factories import CustomerFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, Amsterdam time (24 November is a Tuesday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def outbox(settings, tmp_path):
    """The SMS outbox folder, empty for every test."""
    settings.OUTBOX_DIR = str(tmp_path / "outbox")
    settings.CALLBACK_WARN_LEAD_MINUTES = 15
    settings.CALLBACK_OPENING_HOURS = "08:00-20:00"
    return tmp_path / "outbox"


@pytest.fixture
def templates(db):
    """The callback texts as the data migration ships them (a transactional test flushes them)."""
    message_templates_ensure(MessageTemplate)


@pytest.fixture
def caller(db):
    """A customer with a Dutch mobile number on record."""

    def make(language="nl", phone="06 12345678", **kwargs):
        return CustomerFactory(name="Jeroen de Vries", language=language, phone=phone, **kwargs)

    return make


@pytest.fixture
def promised(make_user, templates):
    """A callback promised by a phone agent through the service."""

    def promise(customer, start, end, *, user=None, **kwargs):
        return callback_promise(
            customer_id=customer.pk, user=user or make_user("phone"), window_start=start, window_end=end, **kwargs
        )

    return promise
