"""A customer message that expects an answer opens or joins a conversation; an answer moves it
on; a new message reopens it (console/conversations/services.py, through the event API)."""

import pytest
import time_machine

from console.conversations.models import AnswerRule, Conversation
from console.conversations.services import Taken, conversation_done, conversation_reply, conversation_take
from console.messaging.services import message_to_customer
from console.timeline.models import TimelineEntry
from tests.conversations.conftest import at, tweet
from tests.ingest.events import interaction

pytestmark = pytest.mark.django_db


def test_a_tweet_opens_a_conversation_for_webcare_awaiting_a_reply(api, tweeter):
    with time_machine.travel(at("2027-06-07 10:00"), tick=False):  # a Monday, open
        assert api.post(tweet("Mijn pakket is kwijt")).status_code == 201
    conversation = Conversation.objects.get(customer=tweeter)
    assert conversation.status == "awaiting_reply" and conversation.team == "webcare"
    assert conversation.assignee is None and conversation.last_words == "Mijn pakket is kwijt"
    assert conversation.thread == "t-1" and conversation.channel == "twitter"
    # First response due an hour after the tweet (the seeded policy; business hours: test_sla_*).
    assert conversation.due_at == at("2027-06-07 11:00")


def test_messages_of_one_thread_make_one_conversation_and_another_thread_a_second(api, tweeter):
    api.post(tweet("Eerste", thread="t-1"))
    api.post(tweet("Nog iets", thread="t-1"))
    api.post(tweet("Andere vraag", thread="t-2"))
    assert Conversation.objects.filter(customer=tweeter).count() == 2
    assert Conversation.objects.get(thread="t-1").last_words == "Nog iets"


def test_contacts_that_expect_no_answer_open_nothing(api, tweeter):
    api.post(interaction(channel="web", summary="Bekeek de airfryer", customer={"customer_number": "C-300001"}))
    api.post(interaction(channel="phone", summary="Belde over levering", customer={"customer_number": "C-300001"}))
    assert not Conversation.objects.exists()


def _rule_set(channel: str, **fields) -> None:
    """An admin's change of a rule (saved, as the admin saves it)."""
    rule = AnswerRule.objects.get(kind="interaction", channel=channel)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()


def test_an_admin_rule_decides_which_channel_expects_an_answer(api, tweeter):
    _rule_set("twitter", expects_answer=False)
    api.post(tweet())
    assert not Conversation.objects.exists()
    _rule_set("web", expects_answer=True, team="store")
    api.post(interaction(channel="web", summary="Vraag via het formulier", customer={"customer_number": "C-300001"}))
    assert Conversation.objects.get().team == "store"


def test_taking_it_twice_the_second_agent_hears_who_was_first(api, tweeter, make_user):
    api.post(tweet())
    conversation = Conversation.objects.get()
    anna, bram = make_user("webcare", first_name="Anna"), make_user("webcare", first_name="Bram")
    conversation_take(conversation_id=conversation.pk, user=anna)
    with pytest.raises(Taken, match="Anna"):
        conversation_take(conversation_id=conversation.pk, user=bram)
    assert Conversation.objects.get().assignee == anna
    assert TimelineEntry.objects.filter(kind="conversation", summary__contains="took").count() == 1


def test_a_reply_leaves_awaiting_records_the_first_response_and_the_next_tweet_reopens_it_for_the_same_agent(
    api, tweeter, make_user, django_capture_on_commit_callbacks
):
    api.post(tweet())
    anna = make_user("webcare", first_name="Anna")
    conversation = conversation_take(conversation_id=Conversation.objects.get().pk, user=anna)
    with django_capture_on_commit_callbacks(execute=True):
        conversation, message = conversation_reply(
            conversation_id=conversation.pk, user=anna, text="We zoeken het uit!"
        )
    assert message.channel == "twitter" and message.status in ("queued", "sent")
    conversation.refresh_from_db()
    assert conversation.status == "waiting_on_customer" and conversation.first_response_at is not None
    assert conversation.due_at is None and conversation.waiting_since is None
    first_response = conversation.first_response_at

    api.post(tweet("Nog steeds niks"))
    conversation.refresh_from_db()
    assert conversation.status == "awaiting_reply" and conversation.assignee == anna
    assert conversation.first_response_at == first_response  # the first response stays the first
    assert TimelineEntry.objects.filter(kind="conversation", summary__contains="reopened").exists()


def test_closing_unanswered_takes_a_reason_and_a_new_message_reopens_it(api, tweeter, make_user):
    api.post(tweet())
    anna = make_user("webcare")
    conversation = Conversation.objects.get()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="say why"):
        conversation_done(conversation_id=conversation.pk, user=anna)
    conversation_done(conversation_id=conversation.pk, user=anna, reason="Bedankje, geen vraag")
    conversation.refresh_from_db()
    assert conversation.status == "done" and conversation.done_by == anna and conversation.done_reason
    assert TimelineEntry.objects.filter(kind="conversation", summary__contains="no reply needed").exists()
    api.post(tweet("Toch nog een vraag"))
    conversation.refresh_from_db()
    assert conversation.status == "awaiting_reply" and conversation.done_at is None


def test_a_message_an_agent_sends_from_the_picture_answers_the_conversation_on_that_channel(
    api, tweeter, make_user, django_capture_on_commit_callbacks
):
    api.post(tweet())
    agent = make_user("webcare")
    with django_capture_on_commit_callbacks(execute=True):
        message_to_customer(
            customer_id=tweeter.pk,
            template_key="agent_message",
            channel="twitter",
            context={"text": "Hoi Sanne, we kijken mee", "subject": ""},
            actor_user=agent,
        )
    assert Conversation.objects.get().status == "waiting_on_customer"


def test_a_public_reply_the_social_tool_reports_answers_it_too_but_an_automatic_one_does_not(api, tweeter, make_user):
    make_user("webcare", username="anna")
    api.post(tweet())
    api.post(tweet("Bedankt voor je bericht! We reageren binnen een uur.", direction="outbound"))
    assert Conversation.objects.get().status == "awaiting_reply"  # nobody answered yet
    api.post(tweet("@sjansen Sorry! We kijken ernaar", direction="outbound", agent="anna"))
    conversation = Conversation.objects.get()
    assert conversation.status == "waiting_on_customer" and conversation.first_response_at is not None


def test_a_message_on_a_case_joins_the_cases_open_conversation(api, tweeter, make_user):
    from console.cases.services import case_open

    case = case_open(customer_id=tweeter.pk, title="Pakket kwijt", team="webcare")
    api.post(tweet("Eerste", thread="t-1", case_ref=case.reference))
    api.post(tweet("Zelfde zaak, nieuwe tweet", thread="t-9", case_ref=case.reference))
    conversation = Conversation.objects.get()
    assert conversation.case == case and conversation.last_words == "Zelfde zaak, nieuwe tweet"
