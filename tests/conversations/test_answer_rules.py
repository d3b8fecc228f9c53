"""Which contacts expect an answer is asked on every inbound event: the rule table is cached, so
an event costs no query for it, and an admin's change counts for the next event
(console/conversations/answer_rules.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from console.conversations.answer_rules import CACHE_KEY
from console.conversations.models import AnswerRule, Conversation
from tests.conversations.conftest import tweet
from tests.ingest.events import interaction

pytestmark = pytest.mark.django_db


def _queries_of(api, body) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert api.post(body).status_code == 201
    return [query["sql"] for query in queries.captured_queries]


def test_an_inbound_event_reads_no_answer_rule_once_the_table_is_cached(api, tweeter):
    api.post(tweet("Eerste"))
    cached = _queries_of(api, tweet("Tweede"))
    cache.delete(CACHE_KEY)  # as after an admin's change: the next event reads the table again
    uncached = _queries_of(api, tweet("Derde"))
    assert not any("conversations_answerrule" in sql for sql in cached)
    assert sum("conversations_answerrule" in sql for sql in uncached) == 1
    assert len(uncached) == len(cached) + 1
    assert Conversation.objects.get().last_words == "Derde"


def test_a_rule_changed_in_the_admin_counts_for_the_next_event(api, tweeter, admin_client):
    api.post(tweet("Eerste", thread="t-1"))  # the table is cached now
    rule = AnswerRule.objects.get(kind="interaction", channel="twitter")
    page = admin_client.post(
        f"/admin/conversations/answerrule/{rule.pk}/change/",
        {"kind": "interaction", "channel": "twitter", "team": "webcare"},  # expects an answer: off
    )
    assert page.status_code == 302
    api.post(tweet("Tweede", thread="t-2"))
    assert list(Conversation.objects.values_list("thread", flat=True)) == ["t-1"]


def test_a_rule_added_and_deleted_in_the_admin_counts_for_the_next_event(api, tweeter, admin_client):
    def visit(summary):
        return interaction(channel="web", summary=summary, customer={"customer_number": "C-300001"})

    api.post(visit("Bekeek de airfryer"))
    assert not Conversation.objects.exists()  # the shipped rule: a web visit expects no answer
    rule = AnswerRule.objects.get(kind="interaction", channel="web")
    page = admin_client.post(
        f"/admin/conversations/answerrule/{rule.pk}/change/",
        {"kind": "interaction", "channel": "web", "expects_answer": "on", "team": "store"},
    )
    assert page.status_code == 302
    api.post(visit("Vraag via het formulier"))
    assert Conversation.objects.get().team == "store"
    assert admin_client.post(f"/admin/conversations/answerrule/{rule.pk}/delete/", {"post": "yes"}).status_code == 302
    api.post(visit("Bekeek de koffiemolen"))  # no rule for the web any more: expects no answer
    assert Conversation.objects.get().last_words == "Vraag via het formulier"
