"""A conversation's answer is due in business time from the message the customer is waiting on;
the clock stops while the conversation waits on the customer; gold customers and complaints get
a higher priority and an earlier answer (console/conversations/sla.py, through the event API)."""

import pytest
import time_machine
from django.utils import timezone

from console.cases.services import case_open
from console.conversations.models import Conversation, SlaPolicy
from console.conversations.services import conversation_reply
from tests.conversations.conftest import at, gold_make, tweet
from tests.factories import CustomerFactory
from tests.ingest.events import interaction

pytestmark = pytest.mark.django_db


def test_a_tweet_on_friday_evening_is_due_on_saturday_morning(api, tweeter):
    with time_machine.travel(at("2027-04-23 19:30"), tick=False):
        api.post(tweet("Waar blijft mijn pakket?"))
    conversation = Conversation.objects.get()
    assert conversation.priority == "normal"
    # 60 business minutes: half an hour on Friday, half an hour from Saturday's opening at 09:00.
    assert conversation.due_at == at("2027-04-24 09:30")
    # The owner is warned at 80%: 48 business minutes.
    assert conversation.warn_at == at("2027-04-24 09:18")


def test_the_clock_stops_while_waiting_on_the_customer_and_starts_again_at_their_message(
    api, tweeter, make_user, django_capture_on_commit_callbacks
):
    anna = make_user("webcare", first_name="Anna")
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet("Mijn pakket is kwijt"))
        conversation = Conversation.objects.get()
        assert conversation.due_at == at("2027-06-07 11:00")
        clock.move_to(at("2027-06-07 10:20"))
        with django_capture_on_commit_callbacks(execute=True):
            conversation_reply(conversation_id=conversation.pk, user=anna, text="We zoeken het uit")
        conversation.refresh_from_db()
        assert conversation.due_at is None and conversation.warn_at is None  # no clock now

        # The customer answers in the evening: the next answer's 120 minutes start then.
        clock.move_to(at("2027-06-07 19:30"))
        api.post(tweet("Nog steeds niks"))
    conversation.refresh_from_db()
    assert conversation.status == "awaiting_reply" and conversation.waiting_since == at("2027-06-07 19:30")
    assert conversation.first_response_at == at("2027-06-07 10:20")
    assert conversation.due_at == at("2027-06-08 09:30")


def test_a_second_message_while_waiting_keeps_the_clock_of_the_first(api, tweeter):
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet("Hallo?"))
        clock.move_to(at("2027-06-07 10:40"))
        api.post(tweet("Hallo??"))
    conversation = Conversation.objects.get()
    assert conversation.waiting_since == at("2027-06-07 10:00") and conversation.due_at == at("2027-06-07 11:00")


def test_a_gold_customer_gets_high_priority_and_an_earlier_answer(api, tweeter, make_user):
    CustomerFactory(customer_number="C-300002", handles=[("twitter", "@pjansen")])
    gold_make(tweeter, manager=make_user("manager"))
    with time_machine.travel(at("2027-06-07 10:00"), tick=False):
        api.post(tweet("Vraag van een gouden klant"))
        api.post(
            interaction(
                summary="Vraag van een gewone klant",
                customer={"handle": {"network": "twitter", "value": "@pjansen"}},
                occurred_at=timezone.now().isoformat(),
            )
        )
    gold = Conversation.objects.get(customer=tweeter)
    other = Conversation.objects.exclude(customer=tweeter).get()
    assert (gold.priority, gold.due_at) == ("high", at("2027-06-07 10:30"))
    assert (other.priority, other.due_at) == ("normal", at("2027-06-07 11:00"))


def test_an_emailed_complaint_is_urgent_and_due_before_an_ordinary_email(api, tweeter):
    complaint = case_open(customer_id=tweeter.pk, title="Klacht over bezorging", kind="complaint", channel="email")
    question = case_open(customer_id=tweeter.pk, title="Vraag over factuur", channel="email")
    with time_machine.travel(at("2027-06-07 10:00"), tick=False):
        for case in (complaint, question):
            api.post(
                interaction(
                    channel="email",
                    summary=f"Re: {case.title}",
                    case_ref=case.reference,
                    thread=case.reference,
                    customer={"customer_number": "C-300001"},
                    occurred_at=timezone.now().isoformat(),
                )
            )
    urgent = Conversation.objects.get(case=complaint)
    ordinary = Conversation.objects.get(case=question)
    assert urgent.team == ordinary.team == "back_office"
    # E-mail: urgent 120 business minutes, normal 480 (from 10:00 to 20:00 is 600).
    assert (urgent.priority, urgent.due_at) == ("urgent", at("2027-06-07 12:00"))
    assert (ordinary.priority, ordinary.due_at) == ("normal", at("2027-06-07 18:00"))


def test_an_admins_policy_decides_the_targets(api, tweeter):
    policy = SlaPolicy.objects.get(channel="", priority="normal")
    policy.first_response_minutes = 15
    policy.save()
    with time_machine.travel(at("2027-06-07 10:00"), tick=False):
        api.post(tweet())
    assert Conversation.objects.get().due_at == at("2027-06-07 10:15")
