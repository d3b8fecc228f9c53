from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from console.conversations.answer_rules import CACHE_KEY as ANSWER_RULES_CACHE_KEY
from console.conversations.sla import CACHE_KEY as SLA_CACHE_KEY
from console.flags.services import flag_override_set
from tests.browser.conftest import browser, server  # noqa: F401 - Chromium and a real server for test_browser.py
from tests.cases.conftest import socket  # noqa: F401 - the console's websocket, as a page opens it
from tests.conftest import shipped_data_ensure
from tests.factories import CustomerFactory
from tests.ingest.events import interaction
from tests.live.conftest import session_cookie  # noqa: F401 - a real login session

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def tweeter(db):
    """A customer who tweets (found by her handle), with a mobile number and an e-mail address."""
    return CustomerFactory(
        name="Sanne Jansen",
        customer_number="C-300001",
        email="sanne@example.nl",
        phone="06 23456789",
        handles=[("twitter", "@sjansen")],
    )


def tweet(summary="Waar blijft mijn bestelling?", *, thread="t-1", direction="inbound", **fields):
    """A tweet of the customer's (or, outbound, webcare's public answer) as the social tool posts it."""
    fields.setdefault("occurred_at", timezone.now().isoformat())
    return interaction(
        channel="twitter",
        direction=direction,
        summary=summary,
        thread=thread,
        customer={"handle": {"network": "twitter", "value": "@sjansen"}},
        **fields,
    )


@pytest.fixture(autouse=True)
def sla_rules_fresh():
    """The SLA calendar and policies and the answer rules are cached; a test that changes them
    (rolled back at its end without a signal) must not leave its rules to the next test, nor find
    another's."""
    cache.delete_many([SLA_CACHE_KEY, ANSWER_RULES_CACHE_KEY])
    yield
    cache.delete_many([SLA_CACHE_KEY, ANSWER_RULES_CACHE_KEY])


@pytest.fixture
def admin_client(client, make_user):
    """Logged in to the Django admin as an admin."""
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    return client


def gold_make(customer, *, manager) -> None:
    """A manager makes the customer gold (an override of the loyalty flag, for ten years)."""
    flag_override_set(
        customer_id=customer.pk,
        kind="loyalty",
        level="gold",
        reason="Klant sinds 1998",
        until=timezone.now() + timedelta(days=3650),
        user=manager,
    )


def at(text: str) -> datetime:
    """A moment in Amsterdam, as "2027-04-23 19:30"."""
    return datetime.fromisoformat(text).replace(tzinfo=AMSTERDAM)


@pytest.fixture
def shipped(transactional_db):
    """For a transactional test: the answer rules and SLA defaults the migrations ship (an
    earlier transactional test's flush took them away)."""
    shipped_data_ensure()
