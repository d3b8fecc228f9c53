"""message_send: at most once, "unknown" rather than a duplicate, and the agent's way out."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from console.messaging.models import OutboundMessage
from console.messaging.selectors import period_of
from console.messaging.services import message_retry, messages_resume_stalled
from console.messaging.statements import statement_send
from console.messaging.tasks import message_send_task
from console.timeline.models import TimelineEntry
from tests.messaging.conftest import bounced, undeliverable

pytestmark = pytest.mark.django_db


@pytest.fixture
def email_only(make_debtor):
    customer = make_debtor()
    undeliverable(customer)
    return customer


def period():
    return period_of(timezone.localdate())


def test_a_task_delivered_again_after_the_message_went_out_sends_nothing(
    email_only, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        statement_send(customer_id=email_only.pk, period=period())
    message = OutboundMessage.objects.get()
    assert message.status == "sent" and len(mail.outbox) == 1

    message_send_task.delay(message.pk)  # the broker delivers the task a second time

    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 1
    assert len(mail.outbox) == 1


def test_a_task_delivered_again_after_its_worker_died_mid_send_does_not_send_again(email_only, worker_dies_mid_send):
    message = worker_dies_mid_send(email_only)
    assert message.status == "sending" and len(mail.outbox) == 1  # it did go out; nobody recorded it

    message_send_task.delay(message.pk)  # delivered again to another worker

    message.refresh_from_db()
    assert message.status == "unknown" and message.get_status_display() == "Delivery not confirmed"
    assert len(mail.outbox) == 1
    entry = TimelineEntry.objects.filter(customer=email_only).order_by("-seq").first()
    assert entry.summary.endswith(": delivery not confirmed") and "ask the customer" in entry.body


def test_an_agent_may_send_an_unconfirmed_message_again(
    email_only, worker_dies_mid_send, make_user, django_capture_on_commit_callbacks
):
    message = worker_dies_mid_send(email_only)
    message_send_task.delay(message.pk)

    with django_capture_on_commit_callbacks(execute=True):
        message_retry(user=make_user("phone"), message_id=message.pk, customer_id=email_only.pk)

    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 2
    assert len(mail.outbox) == 2  # the agent chose this, knowing it may arrive twice


def test_a_letter_that_cannot_be_written_fails_and_the_timeline_says_so(
    make_debtor, settings, tmp_path, django_capture_on_commit_callbacks
):
    customer = make_debtor()
    bounced(customer)
    blocked = Path(tmp_path / "not-a-folder")
    blocked.write_text("a file where the print room's folder should be")
    settings.LETTERS_DIR = str(blocked)
    with django_capture_on_commit_callbacks(execute=True):
        statement_send(customer_id=customer.pk, period=period())

    message = OutboundMessage.objects.get()
    assert message.status == "failed" and "could not be written" in message.error
    entry = TimelineEntry.objects.filter(customer=customer).order_by("-seq").first()
    assert entry.summary.endswith("could not be sent") and entry.kind == "statement"


def test_messages_whose_task_went_missing_are_handed_over_again(email_only, django_capture_on_commit_callbacks):
    # The transaction commits but the send task never reaches a worker (broker down at commit).
    statement_send(customer_id=email_only.pk, period=period())
    message = OutboundMessage.objects.get()
    assert message.status == "queued"

    assert messages_resume_stalled(now=timezone.now() + timedelta(minutes=5)) == (0, 0)  # too soon to tell
    assert messages_resume_stalled(now=timezone.now() + timedelta(minutes=31)) == (1, 0)

    message.refresh_from_db()
    assert message.status == "sent" and len(mail.outbox) == 1


def test_a_message_left_sending_by_a_task_never_delivered_again_becomes_unknown(email_only, worker_dies_mid_send):
    message = worker_dies_mid_send(email_only)

    assert messages_resume_stalled(now=timezone.now() + timedelta(minutes=121)) == (0, 1)
    message.refresh_from_db()
    assert message.status == "unknown" and len(mail.outbox) == 1
