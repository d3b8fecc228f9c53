"""A conversation must be done within its policy's resolution target, in business time from
opening, not counting the time it waited on the customer; the managers are told once per open
period when it is not (console/conversations/sla_clock.py, sla_watch.py, through the event API)."""

import pytest
import time_machine

from console.conversations.models import Conversation
from console.conversations.services import conversation_done, conversation_reply, conversation_take
from console.conversations.tasks import conversations_sla_watch_task
from console.timeline.models import TimelineEntry
from tests.conversations.conftest import at, tweet

pytestmark = pytest.mark.django_db


def _not_done_in_time() -> int:
    """Run the beat job; how many conversations it reported not done in time."""
    said = conversations_sla_watch_task.apply().result
    return int(said.rsplit(", ", 1)[1].removesuffix(" not done in time"))


def _resolution_notes(customer) -> list[str]:
    entries = TimelineEntry.objects.filter(customer=customer, kind="conversation", summary__contains="to be done by")
    return list(entries.order_by("seq").values_list("summary", flat=True))


@pytest.fixture
def anna(make_user):
    return make_user("webcare", first_name="Anna", last_name="de Boer")


def _reply(conversation, anna, capture, text="We zoeken het uit"):
    with capture(execute=True):
        conversation_reply(conversation_id=conversation.pk, user=anna, text=text)


def test_a_conversation_not_done_in_time_is_reported_to_the_managers_once(api, tweeter, anna):
    # A tweet on Monday 10:00: 1440 business minutes (24 hours) to be done, Monday 10-20,
    # Tuesday 08-20, Wednesday 08-10.
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet("Mijn pakket is kwijt"))
        conversation_take(conversation_id=Conversation.objects.get().pk, user=anna)
        assert Conversation.objects.get().resolution_due_at == at("2027-06-09 10:00")
        clock.move_to(at("2027-06-09 09:59"))
        assert _not_done_in_time() == 0
        clock.move_to(at("2027-06-09 10:00"))
        assert _not_done_in_time() == 1
        assert _not_done_in_time() == 0
        clock.move_to(at("2027-06-10 10:00"))
        assert _not_done_in_time() == 0  # once per open period
    conversation = Conversation.objects.get()
    assert conversation.resolution_breached_at == at("2027-06-09 10:00") and conversation.assignee == anna
    assert _resolution_notes(tweeter) == [
        "SLA breached: the Twitter conversation was to be done by 09-06-2027 10:00; the managers were told"
    ]


def test_the_time_waiting_on_the_customer_moves_the_resolution_due_time_on(
    api, tweeter, anna, django_capture_on_commit_callbacks
):
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet("Mijn pakket is kwijt"))
        conversation = Conversation.objects.get()
        clock.move_to(at("2027-06-07 11:00"))
        _reply(conversation, anna, django_capture_on_commit_callbacks)
        clock.move_to(at("2027-06-09 12:00"))  # past Wednesday 10:00, but waiting on the customer
        assert _not_done_in_time() == 0
        # The customer writes on Wednesday at 12:00: the clock paused for 25 business hours
        # (Monday 11-20, Tuesday 08-20, Wednesday 08-12), so it is due 25 hours after Wednesday
        # 10:00: Wednesday 10-20, Thursday 08-20, Friday 08-11.
        api.post(tweet("Nog steeds niks"))
        conversation.refresh_from_db()
        assert conversation.resolution_due_at == at("2027-06-11 11:00")
        clock.move_to(at("2027-06-11 10:59"))
        assert _not_done_in_time() == 0
        clock.move_to(at("2027-06-11 11:00"))
        assert _not_done_in_time() == 1


def test_done_before_it_is_due_means_no_breach(api, tweeter, anna, django_capture_on_commit_callbacks):
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet("Mijn pakket is kwijt"))
        conversation = Conversation.objects.get()
        clock.move_to(at("2027-06-07 10:30"))
        _reply(conversation, anna, django_capture_on_commit_callbacks, text="Hij is vandaag bezorgd")
        clock.move_to(at("2027-06-08 10:00"))
        conversation_done(conversation_id=conversation.pk, user=anna)
        clock.move_to(at("2027-06-14 10:00"))
        assert conversations_sla_watch_task.apply().result == "0 warned, 0 breached, 0 not done in time"
    conversation.refresh_from_db()
    assert conversation.resolution_due_at is None and conversation.resolution_breached_at is None
    assert _resolution_notes(tweeter) == []


def test_a_reopen_after_done_starts_a_new_resolution_clock_which_may_breach_again(api, tweeter, anna):
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet("Mijn pakket is kwijt"))
        conversation = Conversation.objects.get()
        clock.move_to(at("2027-06-09 10:00"))
        assert _not_done_in_time() == 1
        clock.move_to(at("2027-06-09 11:00"))
        conversation_done(conversation_id=conversation.pk, user=anna, reason="Pakket is terecht")
        # Thursday 09:00: 24 business hours, Thursday 09-20, Friday 08-20, Saturday 09-10.
        clock.move_to(at("2027-06-10 09:00"))
        api.post(tweet("Toch nog een vraag"))
        conversation.refresh_from_db()
        assert conversation.resolution_due_at == at("2027-06-12 10:00")
        assert conversation.resolution_breached_at is None
        clock.move_to(at("2027-06-12 10:00"))
        assert _not_done_in_time() == 1
    assert len(_resolution_notes(tweeter)) == 2


def test_an_answer_after_the_resolution_due_time_does_not_hide_the_breach(
    api, tweeter, anna, django_capture_on_commit_callbacks
):
    # The clock ran out before it paused: waiting on the customer does not make it in time.
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet("Mijn pakket is kwijt"))
        conversation = Conversation.objects.get()
        clock.move_to(at("2027-06-09 10:00:30"))  # before the job's next run
        _reply(conversation, anna, django_capture_on_commit_callbacks, text="Sorry, hij is onderweg")
        clock.move_to(at("2027-06-09 10:01"))
        assert _not_done_in_time() == 1
    assert Conversation.objects.get().status == "waiting_on_customer"
