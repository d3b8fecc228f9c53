"""The SLA beat job: the owner is warned at 80% of the business time to answer, the managers
told at 100%, each once per wait, and on the customer's timeline; a letter or an e-mailed
complaint cannot sit unanswered without breaching (story S5)."""

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from console.cases.services import case_open
from console.conversations.models import Conversation
from console.conversations.services import conversation_reply, conversation_take
from console.conversations.tasks import conversations_sla_watch_task
from console.timeline.models import TimelineEntry
from tests.conversations.conftest import at, tweet
from tests.ingest.events import interaction

pytestmark = pytest.mark.django_db


def _job() -> str:
    return conversations_sla_watch_task.apply().result


def _sla_notes(customer) -> list[str]:
    entries = TimelineEntry.objects.filter(customer=customer, kind="conversation", summary__startswith="SLA")
    return list(entries.order_by("seq").values_list("summary", flat=True))


def test_the_owner_is_warned_at_80_percent_and_the_managers_told_at_100_each_once(api, tweeter, make_user):
    anna = make_user("webcare", first_name="Anna", last_name="de Boer")
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet("Mijn pakket is kwijt"))
        conversation_take(conversation_id=Conversation.objects.get().pk, user=anna)
        clock.move_to(at("2027-06-07 10:47"))
        assert _job() == "0 warned, 0 breached, 0 not done in time"
        clock.move_to(at("2027-06-07 10:48"))
        assert _job() == "1 warned, 0 breached, 0 not done in time"
        assert _job() == "0 warned, 0 breached, 0 not done in time"
        clock.move_to(at("2027-06-07 11:00"))
        assert _job() == "0 warned, 1 breached, 0 not done in time"
        assert _job() == "0 warned, 0 breached, 0 not done in time"
    conversation = Conversation.objects.get()
    assert conversation.warned_at == at("2027-06-07 10:48") and conversation.breached_at == at("2027-06-07 11:00")
    assert conversation.status == "awaiting_reply" and conversation.assignee == anna  # still hers to answer
    assert _sla_notes(tweeter) == [
        "SLA warning to Anna de Boer: the answer on Twitter is due 07-06-2027 11:00",
        "SLA breached: the answer on Twitter was due 07-06-2027 11:00; the managers were told",
    ]


def test_the_clock_runs_in_business_time_so_a_friday_evening_tweet_breaches_on_saturday(api, tweeter):
    with time_machine.travel(at("2027-04-23 19:30"), tick=False) as clock:
        api.post(tweet())
        clock.move_to(at("2027-04-24 08:59"))  # later on the wall clock, not in business time
        assert _job() == "0 warned, 0 breached, 0 not done in time"
        clock.move_to(at("2027-04-24 09:30"))
        assert _job() == "1 warned, 1 breached, 0 not done in time"
    assert _sla_notes(tweeter)[0] == "SLA warning to the Webcare team: the answer on Twitter is due 24-04-2027 09:30"


def test_an_answer_in_time_stops_the_clock_and_a_new_wait_may_breach_again(
    api, tweeter, make_user, django_capture_on_commit_callbacks
):
    anna = make_user("webcare")
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet())
        conversation = Conversation.objects.get()
        clock.move_to(at("2027-06-07 11:30"))
        assert _job() == "1 warned, 1 breached, 0 not done in time"
        with django_capture_on_commit_callbacks(execute=True):
            conversation_reply(conversation_id=conversation.pk, user=anna, text="Sorry voor het wachten")
        clock.move_to(at("2027-06-08 12:00"))
        assert _job() == "0 warned, 0 breached, 0 not done in time"  # waiting on the customer: no clock
        api.post(tweet("En nu?"))  # a new wait: 120 minutes for the next answer
        clock.move_to(at("2027-06-08 13:36"))
        assert _job() == "1 warned, 0 breached, 0 not done in time"
        clock.move_to(at("2027-06-08 14:00"))
        assert _job() == "0 warned, 1 breached, 0 not done in time"
    assert len(_sla_notes(tweeter)) == 4


def test_a_letter_nobody_answers_is_flagged_breached(api, tweeter):
    # S5: a letter (back office, 1440 business minutes) sits unanswered: by Wednesday 10:00
    # (Monday 10-20, Tuesday 08-20, Wednesday 08-10) it is breached, and the managers know.
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(
            interaction(
                channel="post",
                summary="Brief: ik wacht al weken op mijn geld",
                customer={"customer_number": "C-300001"},
                occurred_at=timezone.now().isoformat(),
            )
        )
        clock.move_to(at("2027-06-09 09:59"))
        assert _job() == "1 warned, 0 breached, 0 not done in time"
        clock.move_to(at("2027-06-09 10:00"))
        assert _job() == "0 warned, 1 breached, 0 not done in time"
    letter = Conversation.objects.get(channel="post")
    assert letter.team == "back_office" and letter.breached_at == at("2027-06-09 10:00")
    said = "SLA breached: the answer on Post was due 09-06-2027 10:00; the managers were told"
    assert _sla_notes(tweeter)[-1] == said


def test_an_emailed_complaint_nobody_answers_breaches_within_two_business_hours(api, tweeter):
    complaint = case_open(customer_id=tweeter.pk, title="Klacht", kind="complaint", channel="email", team="back_office")
    with time_machine.travel(at("2027-06-04 19:00"), tick=False) as clock:  # a Friday evening
        api.post(
            interaction(
                channel="email",
                summary="Mijn klacht van vorige maand is nog steeds niet beantwoord",
                case_ref=complaint.reference,
                customer={"customer_number": "C-300001"},
                occurred_at=timezone.now().isoformat(),
            )
        )
        clock.move_to(at("2027-06-05 10:00"))  # Saturday: one hour Friday, one Saturday
        assert _job() == "1 warned, 1 breached, 0 not done in time"
    conversation = Conversation.objects.get(case=complaint)
    assert conversation.priority == "urgent" and conversation.breached_at is not None
    assert "SLA breached" in _sla_notes(tweeter)[-1]


def test_a_conversation_closed_or_waiting_on_the_customer_never_breaches(
    api, tweeter, make_user, django_capture_on_commit_callbacks
):
    anna = make_user("webcare")
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet())
        with django_capture_on_commit_callbacks(execute=True):
            conversation_reply(conversation_id=Conversation.objects.get().pk, user=anna, text="Komt goed")
        clock.move_to(at("2027-06-14 10:00"))
        assert _job() == "0 warned, 0 breached, 0 not done in time"
    assert _sla_notes(tweeter) == []


def test_the_job_is_listed_and_runs_from_run_periodic(api, tweeter, capsys):
    # The embedded mode has no beat: cron runs `manage.py run_periodic inbox-sla`.
    call_command("run_periodic")
    assert "inbox-sla" in capsys.readouterr().out
    with time_machine.travel(at("2027-06-07 10:00"), tick=False) as clock:
        api.post(tweet())
        clock.move_to(at("2027-06-07 11:00"))
        call_command("run_periodic", "inbox-sla")
    assert "1 warned, 1 breached, 0 not done in time" in capsys.readouterr().out
