import pytest
from django.utils import timezone

from tests.browser.conftest import browser, server  # noqa: F401 - Chromium and a real server for test_browser.py
from tests.factories import CustomerFactory
from tests.ingest.events import interaction


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
def inbox_defaults(db):
    """Transactional tests flush the database, the migrations' rows included: put them back."""
    from console.conversations.defaults import answer_rules_ensure, inbox_teams_ensure
    from console.conversations.models import AnswerRule, InboxTeam

    answer_rules_ensure(AnswerRule)
    inbox_teams_ensure(InboxTeam)
