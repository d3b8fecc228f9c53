"""Complaints: a deadline by channel, escalated to the managers once when it passes, and
closed only with the answer the customer received."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from console.cases.complaints import complaint_close, complaints_escalate_overdue
from console.cases.models import Case, ComplaintDeadline
from console.cases.services import case_open
from console.cases.tasks import complaints_escalate_overdue_task
from console.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db

MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def complaint(customer, channel, **fields):
    return case_open(customer_id=customer.pk, title="Klacht", kind="complaint", channel=channel, **fields)


@pytest.mark.parametrize(("channel", "days"), [("post", 14), ("email", 14), ("twitter", 1), ("phone", 3), ("store", 5)])
def test_a_complaint_gets_the_deadline_of_its_channel(customer, deadlines, channel, days):
    with time_machine.travel(MONDAY_NOON, tick=False):
        case = complaint(customer, channel)
    assert case.due_at == MONDAY_NOON + timedelta(days=days)


def test_the_deadlines_are_what_the_admin_set(customer, deadlines):
    ComplaintDeadline.objects.filter(channel="twitter").update(days=2)
    ComplaintDeadline.objects.filter(channel="").delete()
    with time_machine.travel(MONDAY_NOON, tick=False):
        assert complaint(customer, "twitter").due_at == MONDAY_NOON + timedelta(days=2)
        # Without even a default row: two weeks.
        assert complaint(customer, "sms").due_at == MONDAY_NOON + timedelta(days=14)


def test_the_job_escalates_an_overdue_complaint_once(customer, deadlines, make_user):
    with time_machine.travel(MONDAY_NOON, tick=False) as clock:
        overdue = complaint(customer, "twitter", owner=make_user("webcare"))
        on_time = complaint(customer, "post")
        question = case_open(customer_id=customer.pk, title="Vraag", due_at=MONDAY_NOON + timedelta(hours=1))
        clock.move_to(MONDAY_NOON + timedelta(days=1, minutes=1))
        assert complaints_escalate_overdue_task.apply().result == "1 overdue complaint escalated"
        assert complaints_escalate_overdue_task.apply().result == "0 overdue complaints escalated"
    overdue.refresh_from_db()
    assert overdue.escalated_at == MONDAY_NOON + timedelta(days=1, minutes=1)
    assert overdue.status == "open" and overdue.owner is not None  # stays open with its owner
    escalations = TimelineEntry.objects.filter(summary__contains="escalated to the managers")
    assert [e.case_id for e in escalations] == [overdue.pk]
    assert "The answer was due 24-11-2026 12:00" in escalations[0].body
    assert not Case.objects.filter(pk__in=[on_time.pk, question.pk], escalated_at__isnull=False).exists()


def test_a_closed_complaint_is_not_escalated(customer, deadlines, make_user):
    with time_machine.travel(MONDAY_NOON, tick=False) as clock:
        case = complaint(customer, "twitter")
        complaint_close(case_id=case.pk, user=make_user("webcare"), resolution="Opgelost.", channel="twitter")
        clock.move_to(MONDAY_NOON + timedelta(days=3))
        assert complaints_escalate_overdue() == 0


def test_closing_without_the_answer_is_refused(customer, deadlines, make_user):
    case = complaint(customer, "post")
    agent = make_user("phone")
    with pytest.raises(ValidationError, match="answer the customer received"):
        complaint_close(case_id=case.pk, user=agent, resolution="  ", channel="email")
    with pytest.raises(ValidationError, match="channel"):
        complaint_close(case_id=case.pk, user=agent, resolution="Nieuwe SIM verstuurd.", channel="system")
    case.refresh_from_db()
    assert case.status == "open"


def test_a_complaint_is_not_closed_by_changing_its_status(customer, deadlines, make_user):
    from console.cases.services import case_update

    case = complaint(customer, "post")
    with pytest.raises(ValidationError, match="Close complaint"):
        case_update(case_id=case.pk, user=make_user("phone"), status="closed")


def test_closing_records_the_answer_as_sent_to_the_customer(customer, deadlines, make_user):
    case = complaint(customer, "post")
    agent = make_user("phone")
    complaint_close(case_id=case.pk, user=agent, resolution="Wij sturen de tweede SIM-kaart per post.", channel="post")
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_at is not None
    answer = TimelineEntry.objects.get(case=case, direction="outbound")
    assert (answer.channel, answer.actor_user) == ("post", agent)
    assert answer.summary == f"Answer to complaint {case.reference} sent by Post"
    assert answer.body == "Wij sturen de tweede SIM-kaart per post."
    with pytest.raises(ValidationError, match="already closed"):
        complaint_close(case_id=case.pk, user=agent, resolution="Nog eens.", channel="post")
