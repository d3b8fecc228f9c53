"""The inbox pages an agent works from: the lists, the counts in the navigation, and taking,
replying and closing from a row (console/conversations/views.py)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from console.conversations.models import Conversation
from tests.conversations.conftest import at, tweet
from tests.factories import CustomerFactory
from tests.ingest.events import interaction

pytestmark = pytest.mark.django_db


def test_the_home_page_is_the_agents_own_inbox(client_as):
    client = client_as("webcare")
    assert client.get("/inbox/").url == reverse("conversations:inbox", args=["mine"])


def _tweets(api, count, *, start=0):
    for n in range(start, start + count):
        CustomerFactory(customer_number=f"C-40{n:04d}", handles=[("twitter", f"@klant{n}")])
        api.post(
            interaction(
                channel="twitter",
                summary=f"Vraag {n}",
                customer={"handle": {"network": "twitter", "value": f"@klant{n}"}},
                occurred_at="2026-12-03T09:00:00+01:00",
            )
        )


def test_unassigned_lists_the_teams_new_conversations_soonest_due_first(client_as, api, tweeter):
    api.post(tweet("Eerste vraag", occurred_at="2026-12-03T08:00:00+01:00"))
    api.post(tweet("Tweede", thread="t-2", occurred_at="2026-12-03T07:00:00+01:00"))
    client = client_as("webcare")
    html = client.get(reverse("conversations:inbox", args=["unassigned"])).content.decode()
    # Both came before the 08:00 opening, so both are due at 09:00: the one waiting longer first.
    assert html.index("Tweede") < html.index("Eerste vraag")
    assert "Sanne Jansen" in html and "Take" in html and "2 open" in html


def test_the_list_costs_the_same_queries_for_five_or_fifty(client_as, api):
    client = client_as("webcare")
    url = reverse("conversations:inbox", args=["unassigned"])
    _tweets(api, 5)
    with CaptureQueriesContext(connection) as five:
        assert "5 open" in client.get(url).content.decode()
    _tweets(api, 45, start=5)
    with CaptureQueriesContext(connection) as fifty:
        assert "50 open" in client.get(url).content.decode()
    assert len(fifty.captured_queries) == len(five.captured_queries) <= 9


def test_take_from_the_row_and_a_colleague_sees_who_took_it(client, make_user, api, tweeter):
    api.post(tweet())
    conversation = Conversation.objects.get()
    anna, bram = make_user("webcare", first_name="Anna"), make_user("webcare", first_name="Bram")
    url = reverse("conversations:take", args=[conversation.pk])
    client.force_login(anna)
    assert "Yours now" in client.post(url, headers={"HX-Request": "true"}).content.decode()
    client.force_login(bram)
    assert "Taken by Anna" in client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert Conversation.objects.get().assignee == anna


def test_the_counts_in_the_navigation(client, make_user, api, tweeter):
    api.post(tweet())
    anna = make_user("webcare")
    client.force_login(anna)
    assert "1 new" in client.get(reverse("conversations:counts")).content.decode()
    client.post(reverse("conversations:take", args=[Conversation.objects.get().pk]))
    html = client.get(reverse("conversations:counts")).content.decode()
    assert "new" not in html and ">1<" in html


def test_the_counts_are_the_agents_own_and_their_teams_only(client, make_user, api, tweeter):
    # On a Wednesday morning, within opening hours (in the evening nothing is due before morning).
    with time_machine.travel(at("2026-12-02 11:00"), tick=False):
        two_hours_ago = (timezone.now() - timedelta(hours=2)).isoformat()
        api.post(tweet("Al twee uur geleden", occurred_at=two_hours_ago))  # overdue: breaching
        api.post(tweet("Net gestuurd", thread="t-2"))
        api.post(interaction(channel="sms", summary="Per sms", customer={"customer_number": "C-300001"}))  # phone's
        anna = make_user("webcare")
        client.force_login(anna)
        client.post(reverse("conversations:take", args=[Conversation.objects.get(thread="t-2").pk]))
        html = client.get(reverse("conversations:counts")).content.decode()
    assert 'Yours awaiting a reply">1<' in html and ">1 new<" in html and ">1 due<" in html


def test_done_without_a_reason_is_refused_with_a_clear_message(client, make_user, api, tweeter):
    api.post(tweet())
    client.force_login(make_user("webcare"))
    response = client.post(
        reverse("conversations:done", args=[Conversation.objects.get().pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 422 and "say why none is needed" in response.content.decode()


def test_filters_by_channel_and_flag(client_as, api, tweeter):
    api.post(tweet())
    api.post(interaction(channel="email", summary="Factuur klopt niet", customer={"customer_number": "C-300001"}))
    client = client_as("manager")
    url = reverse("conversations:inbox", args=["unassigned"])
    assert "Factuur klopt niet" not in client.get(url, {"channel": "twitter"}).content.decode()
    assert "Nothing waiting here" in client.get(url, {"flag": "credit_hold"}).content.decode()


@pytest.mark.parametrize("path", ["/inbox/nowhere/", "/inbox/team/nowhere/"])
def test_an_unknown_inbox_is_404(client_as, path):
    assert client_as("webcare").get(path).status_code == 404


def test_the_inbox_needs_a_role(client, make_user):
    client.force_login(make_user(None))
    assert client.get(reverse("conversations:inbox", args=["mine"])).status_code == 403
    assert client.get(reverse("conversations:counts")).status_code == 403


def test_a_chat_is_answered_in_its_own_tool_so_the_row_offers_no_reply_box(client_as, api, tweeter):
    api.post(interaction(channel="chat", summary="Hallo, is er iemand?", customer={"customer_number": "C-300001"}))
    html = client_as("webcare").get(reverse("conversations:inbox", args=["unassigned"])).content.decode()
    assert "Answer in the chat tool, then mark it done." in html and "Reply by" not in html
