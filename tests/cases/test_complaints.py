"""Complaints: a deadline by channel, escalated to the managers once when it passes, and
closed only with the answer the customer received."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from console.cases.complaints import answer_send_channels, complaint_close, complaints_escalate_overdue
from console.cases.models import Case, ComplaintDeadline
from console.cases.services import case_open
from console.cases.tasks import complaints_escalate_overdue_task
from console.messaging.models import OutboundMessage
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


def test_the_answer_is_sent_by_the_channel_the_complaint_came_in_on(
    customer, deadlines, make_user, django_capture_on_commit_callbacks
):
    case = complaint(customer, "email")
    agent = make_user("phone")
    with django_capture_on_commit_callbacks(execute=True):
        complaint_close(
            case_id=case.pk, user=agent, resolution="U krijgt de tweede SIM-kaart morgen.", channel="email", send=True
        )

    case.refresh_from_db()
    assert (case.status, case.resolution) == ("closed", "U krijgt de tweede SIM-kaart morgen.")
    message = OutboundMessage.objects.get(case=case)
    assert (message.template_key, message.channel, message.status) == ("complaint_answer", "email", "sent")
    [letter] = mail.outbox
    assert letter.subject == f"Antwoord op uw klacht {case.reference}"
    assert "Beste Jeroen de Vries" in letter.body and "U krijgt de tweede SIM-kaart morgen." in letter.body
    # The message is the answer on the timeline (no second "answer recorded" entry), then the close.
    outbound = TimelineEntry.objects.filter(case=case, direction="outbound")
    assert [(e.kind, e.channel) for e in outbound] == [("message", "email")]
    last = TimelineEntry.objects.filter(case=case).order_by("seq").last()
    assert last.summary == f"Complaint {case.reference} closed: the answer was sent to the customer by E-mail"


def test_the_answer_goes_in_the_customer_s_language(customer, deadlines, make_user, django_capture_on_commit_callbacks):
    customer.language = "en"
    customer.save(update_fields=["language"])
    case = complaint(customer, "email")
    with django_capture_on_commit_callbacks(execute=True):
        complaint_close(case_id=case.pk, user=make_user("webcare"), resolution="Sorry.", channel="email", send=True)
    assert mail.outbox[0].subject == f"The answer to your complaint {case.reference}"
    assert mail.outbox[0].body.startswith("Dear Jeroen de Vries")


@pytest.mark.parametrize(
    ("came_in_on", "offered"),
    [
        ("twitter", ["twitter", "email", "sms"]),
        ("post", ["post", "email", "sms"]),
        ("sms", ["sms", "email"]),
        ("phone", ["email", "sms"]),
        ("store", ["email", "sms"]),
    ],
)
def test_the_answer_can_be_sent_back_where_it_came_in_or_by_e_mail_or_sms(customer, deadlines, came_in_on, offered):
    assert answer_send_channels(complaint(customer, came_in_on)) == offered


def test_an_answer_that_cannot_leave_does_not_close_the_complaint(customer, deadlines, make_user):
    case = complaint(customer, "instagram")  # the customer has no Instagram handle on file
    before = TimelineEntry.objects.count()
    with pytest.raises(ValidationError, match="cannot be sent by Instagram"):
        complaint_close(
            case_id=case.pk, user=make_user("webcare"), resolution="Opgelost.", channel="instagram", send=True
        )
    case.refresh_from_db()
    assert case.is_open and case.resolution == ""
    assert TimelineEntry.objects.count() == before and not OutboundMessage.objects.exists()


def test_store_staff_record_the_answer_but_do_not_send_it(customer, deadlines, make_user):
    case = complaint(customer, "email")
    store = make_user("store")
    with pytest.raises(PermissionDenied):
        complaint_close(case_id=case.pk, user=store, resolution="Opgelost.", channel="email", send=True)
    complaint_close(case_id=case.pk, user=store, resolution="Uitgelegd aan de balie.", channel="store")
    case.refresh_from_db()
    assert case.status == "closed" and not OutboundMessage.objects.exists()


def test_the_case_page_offers_to_send_and_shows_where_the_answer_stands(
    client_as, customer, deadlines, django_capture_on_commit_callbacks
):
    case = complaint(customer, "email")
    client = client_as("phone")
    page = client.get(case.get_absolute_url()).content.decode()
    # Offered, not chosen for the agent: an answer already given by phone must not go out twice.
    assert '<option value="send:email">Send it now by E-mail</option>' in page and " selected>Send it now" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cases:close-complaint", args=[case.pk]),
            {"resolution": "U krijgt de SIM-kaart morgen.", "channel": "send:email"},
            headers={"HX-Request": "true"},
        )
    page = response.content.decode()
    assert "Complaint closed; the answer is on its way to the customer." in page
    assert "Answer to the customer" in page and "U krijgt de SIM-kaart morgen." in page
    # Rendered after the commit: in the embedded mode the message has gone out already.
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Messages to the customer" in page and ">Sent<" in page and "j.devries@example.nl" in page


def test_store_staff_are_offered_only_to_record_the_answer(client_as, customer, deadlines):
    case = complaint(customer, "email")
    page = client_as("store").get(case.get_absolute_url()).content.decode()
    assert "Send it now" not in page and "Already answered by" in page


def test_closing_without_saying_how_the_answer_reaches_the_customer_is_refused(client_as, customer, deadlines):
    from console.messaging.models import OutboundMessage

    case = complaint(customer, "email")
    response = client_as("phone").post(
        reverse("cases:close-complaint", args=[case.pk]),
        {"resolution": "U krijgt de SIM-kaart morgen.", "channel": ""},
        headers={"HX-Request": "true"},
    )
    assert "Choose how the answer reaches the customer" in response.content.decode()
    case.refresh_from_db()
    assert case.is_open and not OutboundMessage.objects.filter(case=case).exists()
