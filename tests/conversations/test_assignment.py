"""Automatic assignment (console/conversations/assignment.py): online agents under their
capacity, least loaded first; an agent offline too long gives their conversations back."""

import time

import pytest

from console.conversations.assignment import offline_give_back
from console.conversations.models import Conversation, InboxTeam
from console.live.online import seen_now
from tests.conversations.conftest import tweet
from tests.factories import CustomerFactory
from tests.ingest.events import interaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def automatic(db):
    InboxTeam.objects.update_or_create(team="webcare", defaults={"auto_assign": True, "capacity": 2})


def _tweet_from(api, n: int):
    CustomerFactory(customer_number=f"C-50{n:04d}", handles=[("twitter", f"@vraag{n}")])
    api.post(
        interaction(
            channel="twitter", summary=f"Vraag {n}", customer={"handle": {"network": "twitter", "value": f"@vraag{n}"}}
        )
    )
    return Conversation.objects.get(customer__customer_number=f"C-50{n:04d}")


def test_without_the_switch_nobody_is_given_anything(api, tweeter, make_user):
    seen_now(make_user("webcare").pk)
    api.post(tweet())
    assert Conversation.objects.get().assignee is None


def test_online_agents_least_loaded_first_and_never_over_capacity(api, automatic, make_user):
    anna, bram = make_user("webcare", first_name="Anna"), make_user("webcare", first_name="Bram")
    offline = make_user("webcare", first_name="Carla")  # never seen: offline
    seen_now(anna.pk, bram.pk)
    owners = [_tweet_from(api, n).assignee for n in range(5)]
    assert offline not in owners
    # Two each (capacity 2), taking turns by load; the fifth waits in the team's list.
    assert owners[:4].count(anna) == 2 and owners[:4].count(bram) == 2 and owners[0] != owners[1]
    assert owners[4] is None


def test_an_agent_offline_too_long_gives_the_conversations_back(api, automatic, make_user, settings):
    anna, bram = make_user("webcare", first_name="Anna"), make_user("webcare", first_name="Bram")
    seen_now(anna.pk)
    first, second = _tweet_from(api, 1), _tweet_from(api, 2)
    assert first.assignee == second.assignee == anna
    later = time.time() + settings.INBOX_OFFLINE_MINUTES * 60 + 5
    # Bram comes online later; Anna has not been seen since.
    seen_now(bram.pk, at=later)
    assert offline_give_back(now=later) == 2
    assert {c.assignee for c in Conversation.objects.all()} == {bram}
    assert offline_give_back(now=later) == 0  # nothing more to move


def test_with_nobody_online_they_go_back_to_the_teams_list(api, automatic, make_user, settings):
    anna = make_user("webcare")
    seen_now(anna.pk)
    _tweet_from(api, 1)
    assert offline_give_back(now=time.time() + settings.INBOX_OFFLINE_MINUTES * 60 + 5) == 1
    assert Conversation.objects.get().assignee is None
