"""A conversation's priority is decided again at each new wait and when a later message links it
to a complaint; while open it is never lowered unless its reason is gone; the answer's due time
follows the new priority from the next wait (console/conversations/priority.py, through the event
API)."""

import pytest
import time_machine

from console.cases.services import case_open
from console.conversations.models import Conversation, SlaPolicy
from console.conversations.services import conversation_done, conversation_reply
from console.flags.models import Flag
from console.flags.services import flag_override_end
from console.timeline.models import TimelineEntry
from tests.conversations.conftest import at, gold_make, tweet

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(make_user):
    return make_user("webcare", first_name="Anna")


@pytest.fixture
def manager(make_user):
    return make_user("manager")


@pytest.fixture
def reply(anna, django_capture_on_commit_callbacks):
    def reply_now():
        with django_capture_on_commit_callbacks(execute=True):
            conversation_reply(conversation_id=Conversation.objects.get().pk, user=anna, text="We kijken ernaar")

    return reply_now


def _conversation_notes(customer) -> list[str]:
    entries = TimelineEntry.objects.filter(customer=customer, kind="conversation", summary__contains="conversation")
    return list(entries.order_by("seq").values_list("summary", flat=True))


def test_a_later_message_on_a_complaint_makes_it_urgent_and_the_next_wait_is_timed_so(api, tweeter, reply):
    complaint = case_open(customer_id=tweeter.pk, title="Klacht over bezorging", kind="complaint", channel="twitter")
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet("Waar blijft mijn pakket?"))
        assert Conversation.objects.get().priority == "normal"
        clock.move_to(at("2027-06-07 10:10"))
        api.post(tweet("Dit is een klacht", case_ref=complaint.reference))
        conversation = Conversation.objects.get()
        assert (conversation.case, conversation.priority) == (complaint, "urgent")
        assert conversation.due_at == at("2027-06-07 11:00")  # this wait keeps its due time
        clock.move_to(at("2027-06-07 10:20"))
        reply()
        clock.move_to(at("2027-06-07 12:00"))
        api.post(tweet("En nu?"))  # no case named: still the complaint's conversation
    conversation.refresh_from_db()
    # Urgent: the next answer within 30 business minutes (normal: 120).
    assert (conversation.priority, conversation.due_at) == ("urgent", at("2027-06-07 12:30"))
    notes = _conversation_notes(tweeter)
    assert f"Twitter conversation linked to case {complaint.reference}" in notes
    assert "Twitter conversation's priority raised to urgent (complaint)" in notes


def test_a_customer_who_became_gold_gets_high_priority_at_the_next_wait(api, tweeter, manager, reply):
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet())
        reply()
        gold_make(tweeter, manager=manager)
        clock.move_to(at("2027-06-07 12:00"))
        api.post(tweet("Nog een vraag"))
    conversation = Conversation.objects.get()
    # High: the next answer within 60 business minutes (normal: 120).
    assert (conversation.priority, conversation.due_at) == ("high", at("2027-06-07 13:00"))
    assert "Twitter conversation's priority raised to high (gold customer)" in _conversation_notes(tweeter)


def test_a_customer_no_longer_gold_loses_the_priority_at_the_next_wait(api, tweeter, manager, reply):
    gold_make(tweeter, manager=manager)
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet())
        assert Conversation.objects.get().priority == "high"
        reply()
        flag_override_end(flag_id=Flag.objects.get(customer=tweeter, kind="loyalty").pk, user=manager)
        clock.move_to(at("2027-06-07 12:00"))
        api.post(tweet("Nog een vraag"))
    conversation = Conversation.objects.get()
    assert (conversation.priority, conversation.due_at) == ("normal", at("2027-06-07 14:00"))
    assert "Twitter conversation's priority lowered to normal" in _conversation_notes(tweeter)


def test_a_policy_change_does_not_lower_an_open_conversation_but_counts_after_a_reopen(api, tweeter, anna, reply):
    complaint = case_open(customer_id=tweeter.pk, title="Klacht over bezorging", kind="complaint", channel="twitter")
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet("Dit is een klacht", case_ref=complaint.reference))
        assert Conversation.objects.get().priority == "urgent"
        reply()
        # The admin moves the mark for complaints from the urgent policy to the high one (saved
        # as the admin saves them: the cached policies are forgotten).
        for priority, marked in (("urgent", False), ("high", True)):
            policy = SlaPolicy.objects.get(channel="", priority=priority)
            policy.for_complaints = marked
            policy.save()
        clock.move_to(at("2027-06-07 12:00"))
        api.post(tweet("En nu?"))
        conversation = Conversation.objects.get()
        # Still a complaint: it stays urgent (the next answer within 30 business minutes).
        assert (conversation.priority, conversation.due_at) == ("urgent", at("2027-06-07 12:30"))
        reply()
        conversation_done(conversation_id=conversation.pk, user=anna)
        clock.move_to(at("2027-06-08 10:00"))
        api.post(tweet("Weer een vraag"))  # reopened after done: decided afresh, by the new policy
    conversation.refresh_from_db()
    assert (conversation.priority, conversation.priority_reason) == ("high", "complaint")
    assert conversation.due_at == at("2027-06-08 11:00")
