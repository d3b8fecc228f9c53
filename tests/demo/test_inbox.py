"""The demo inbox `seed_demo` makes (console/demo/inbox.py): a few hundred conversations over
every channel that expects an answer, in every state, written through the real services."""

import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from console.conversations.models import Conversation
from console.conversations.selectors import inbox_page
from console.customers.models import Customer
from console.ingest.models import ApiToken
from console.timeline.models import TimelineEntry
from tests.conftest import shipped_data_ensure

pytestmark = pytest.mark.django_db
ANSWERING = {"twitter", "facebook", "instagram", "whatsapp", "chat", "chatbot", "sms", "email", "post"}


@pytest.fixture
def seeded(make_user, settings, tmp_path):
    shipped_data_ensure()
    settings.OUTBOX_DIR = str(tmp_path / "outbox")
    settings.LETTERS_DIR = str(tmp_path / "letters")
    call_command("seed_demo", customers=60, stdout=(out := io.StringIO()))
    return out.getvalue()


def test_the_inbox_has_every_answering_channel_team_and_state(seeded):
    conversations = list(Conversation.objects.select_related("assignee"))
    assert len(conversations) >= 60
    assert {c.channel for c in conversations} == ANSWERING
    assert {c.team for c in conversations} == {"webcare", "phone", "back_office"}
    states = Counter(c.status for c in conversations)
    assert all(states[s] >= 3 for s in Conversation.Status.values), states
    now = timezone.now()
    awaiting = [c for c in conversations if c.status == "awaiting_reply"]
    assert sum(c.due_at < now for c in awaiting) >= 3, "some overdue"
    assert sum(c.due_at > now for c in awaiting) >= 3, "some still in time"
    assert sum(c.first_response_at is not None for c in awaiting) >= 1, "the customer wrote again after an answer"
    owners = Counter(c.assignee.username for c in conversations if c.assignee and c.is_open)
    assert set(owners) == {"webcare", "phone", "manager"} and max(owners.values()) <= 12
    assert sum(c.assignee is None for c in awaiting) >= 5
    done = [c for c in conversations if c.status == "done"]
    assert all(c.done_by and c.done_at for c in done)
    assert any(c.done_reason for c in done), "closed as no reply needed, with the reason"
    assert "Inbox: " in seeded and " breaching)" in seeded


def test_every_conversation_is_what_its_timeline_says_and_histories_read_in_time_order(seeded):
    for conversation in Conversation.objects.exclude(customer__customer_number__startswith="C-2"):
        said = TimelineEntry.objects.filter(customer=conversation.customer, channel=conversation.channel)
        inbound = said.filter(direction="inbound").order_by("-occurred_at").first()
        assert conversation.opened_at <= inbound.occurred_at
        if conversation.status == "awaiting_reply":
            assert conversation.waiting_since == inbound.occurred_at
        if conversation.first_response_at:
            assert said.filter(direction="outbound", occurred_at=conversation.first_response_at).exists()
        notes = said.filter(kind=TimelineEntry.Kind.CONVERSATION).values_list("summary", flat=True)
        if conversation.assignee_id:
            assert any(" took the " in n for n in notes)
        if conversation.status == "done":
            assert any(" closed the " in n for n in notes)
    for customer in Customer.objects.all():
        times = list(customer.timeline.order_by("seq").values_list("occurred_at", flat=True))
        assert times == sorted(times), customer.customer_number


def test_the_story_customers_wait_where_their_story_says(seeded):
    sanne = Conversation.objects.get(customer__customer_number="C-200002")
    assert (sanne.channel, sanne.team, sanne.status, sanne.assignee) == ("twitter", "webcare", "awaiting_reply", None)
    assert sanne.due_at < timezone.now()
    ahmed = {c.channel: c for c in Conversation.objects.filter(customer__customer_number="C-200005")}
    letter, email = ahmed["post"], ahmed["email"]
    assert (letter.team, letter.status, letter.case.kind) == ("back_office", "awaiting_reply", "complaint")
    assert letter.due_at < timezone.now()
    # The mailbox's automatic reply is no answer (no agent gave it): the e-mailed complaint still
    # waits for one, overdue (S5: it must not sit unanswered without breaching).
    assert (email.status, email.first_response_at) == ("awaiting_reply", None)
    assert email.due_at < timezone.now()


def test_lotte_finds_hers_and_the_breaching_ones_and_so_does_a_planning_system(seeded, client):
    lotte = get_user_model().objects.get(username="webcare")
    mine = inbox_page(user=lotte, view="mine")
    assert 0 < mine.total <= 12 and all(row.assignee == lotte for row in mine.rows)
    breaching = inbox_page(user=lotte, view="breaching")
    assert "C-200002" in {row.customer.customer_number for row in breaching.rows}
    _, token = ApiToken.issue(source="wfm", scopes=["conversations:read"])
    body = client.get(
        "/api/v1/conversations", {"breaching": "true"}, headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert body["results"] and all(row["breaching"] for row in body["results"])
    assert "C-200002" in {row["customer"]["customer_number"] for row in body["results"]}
