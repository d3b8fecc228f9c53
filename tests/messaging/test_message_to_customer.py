"""Messages from admin-edited templates: the customer's language, the timeline, exactly once,
a missing address, a gateway that fails for a while, and a social reply."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from console.customers.services import identifier_add
from console.messaging.models import MessageTemplate, OutboundMessage
from console.messaging.services import message_retry, message_send, message_to_customer
from console.timeline.models import TimelineEntry
from tests.factories import CustomerFactory
from tests.messaging.gateway import Gateway

pytestmark = pytest.mark.django_db

GATEWAY = "console.messaging.backends.http_gateway.HttpGatewayBackend"


@pytest.fixture
def reminder(db):
    return MessageTemplate.objects.create(
        key="test_reminder",
        subject_nl="Herinnering {customer_number}",
        body_nl="Beste {name}, we bellen u {window}.",
        subject_en="Reminder {customer_number}",
        body_en="Dear {name}, we will call you {window}.",
    )


def send(customer, channel="sms", key=None, **kwargs):
    return message_to_customer(
        customer_id=customer.pk,
        template_key="test_reminder",
        channel=channel,
        context={"window": kwargs.pop("window", "morgen tussen 10:00 en 11:00")},
        idempotency_key=key,
        **kwargs,
    )


def outbox_files(outbox, channel="sms"):
    folder = outbox / channel
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))] if folder.exists() else []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "Beste Sanne Bakker, we bellen u morgen tussen 10:00 en 11:00.\n"),
        ("en", "Dear Sanne Bakker, we will call you morgen tussen 10:00 en 11:00.\n"),
    ],
)
def test_an_sms_goes_out_in_the_customers_language_and_is_on_the_timeline(
    reminder, outbox, language, text, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(name="Sanne Bakker", phone="06 12345678", language=language)
    with django_capture_on_commit_callbacks(execute=True):
        message, created = send(customer, actor_source="callbacks")

    message.refresh_from_db()
    assert created and message.status == "sent" and message.body == text
    assert outbox_files(outbox) == [
        {"to": "+31612345678", "channel": "sms", "language": language, "text": text, "key": message.idempotency_key}
    ]
    entry = TimelineEntry.objects.get(customer=customer, kind=TimelineEntry.Kind.MESSAGE)
    assert entry.direction == "outbound" and entry.channel == "sms"
    # A text of one line is all in the timeline's line.
    assert entry.summary == f"SMS to +31612345678: {text.strip()}" and entry.body == ""


def test_the_same_key_twice_sends_once(reminder, outbox, django_capture_on_commit_callbacks):
    customer = CustomerFactory(phone="06 12345678")
    with django_capture_on_commit_callbacks(execute=True):
        first, created = send(customer, key="callback:1:warned")
        again, created_again = send(customer, key="callback:1:warned")

    assert created and not created_again and again.pk == first.pk
    assert len(outbox_files(outbox)) == 1
    assert TimelineEntry.objects.filter(customer=customer, kind="message").count() == 1


def test_without_a_mobile_number_the_message_fails_visibly_and_can_be_sent_once_there_is_one(
    reminder, outbox, make_user, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(phone="020 1234567")  # a landline
    message, _ = send(customer)

    assert (
        message.status == "failed"
        and message.error == "Not sent: there is no mobile number on file (+31201234567 is a landline)."
    )
    entry = TimelineEntry.objects.get(customer=customer, kind="message")
    assert "Not sent: there is no mobile number on file" in entry.body and "messages panel" in entry.body
    agent = make_user("phone")
    with pytest.raises(ValidationError, match="still cannot be sent: there is no mobile number"):
        message_retry(user=agent, message_id=message.pk, customer_id=customer.pk)

    identifier_add(customer_id=customer.pk, kind="phone", value="06 87654321")
    with django_capture_on_commit_callbacks(execute=True):
        message_retry(user=agent, message_id=message.pk, customer_id=customer.pk)

    message.refresh_from_db()
    assert message.status == "sent" and message.to_address == "+31687654321"
    assert [f["to"] for f in outbox_files(outbox)] == ["+31687654321"]


def test_a_social_reply_goes_to_the_customers_handle_through_the_connector(
    reminder, outbox, django_capture_on_commit_callbacks
):
    customer = CustomerFactory()
    identifier_add(customer_id=customer.pk, kind="handle", namespace="twitter", value="@SanneB")
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = send(customer, channel="twitter")

    message.refresh_from_db()
    assert message.status == "sent" and outbox_files(outbox, "twitter")[0]["to"] == "sanneb"
    assert TimelineEntry.objects.get(customer=customer, kind="message").summary.startswith("Twitter to sanneb: ")


def test_an_unknown_template_is_refused_with_its_name(db):
    customer = CustomerFactory(phone="06 12345678")
    with pytest.raises(ValidationError, match="no message template 'test_reminder'"):
        send(customer)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("Beste {name.__class__}", "not: name.__class__"),
        ("Beste {name!r}", "not: name"),
        ("Beste {name", "braces do not match"),
    ],
)
def test_an_admin_cannot_save_a_template_with_anything_but_plain_placeholders(body, problem):
    template = MessageTemplate(key="x", body_nl=body, body_en="Dear {name}")
    with pytest.raises(ValidationError) as raised:
        template.full_clean()
    assert problem in str(raised.value.message_dict["body_nl"])


@pytest.fixture
def gateway(settings):
    made = []

    def make(*answers):
        made.append(Gateway(answers))
        settings.MESSAGING_BACKENDS = {**settings.MESSAGING_BACKENDS, "sms": GATEWAY}
        settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN = made[-1].url, "gw-secret"
        return made[-1]

    yield make
    for server in made:
        server.close()


def test_a_gateway_that_is_down_for_a_while_gets_the_message_on_a_later_attempt(reminder, gateway, settings):
    settings.MESSAGE_MAX_ATTEMPTS = 5
    down = gateway((503, {"error": "maintenance"}), (429, {"error": "slow down"}), (201, {"id": "gw-77"}))
    customer = CustomerFactory(phone="06 12345678")
    message, _ = send(customer)

    assert message_send(message_id=message.pk) == "queued"
    message.refresh_from_db()
    assert message.error.startswith('Attempt 1 failed: The gateway answered 503: {"error": "maintenance"}')
    assert message_send(message_id=message.pk) == "queued"
    assert message_send(message_id=message.pk) == "sent"

    message.refresh_from_db()
    assert (message.status, message.attempts, message.backend_ref) == ("sent", 3, "gw-77")
    headers, body = down.requests[0]
    assert headers["Idempotency-Key"] == message.idempotency_key and headers["Authorization"] == "Bearer gw-secret"
    assert body == {"to": "+31612345678", "text": message.body, "reference": message.idempotency_key}
    assert {h["Idempotency-Key"] for h, _ in down.requests} == {message.idempotency_key}


def test_a_gateway_that_stays_down_fails_the_message_after_the_last_attempt(reminder, gateway, settings):
    settings.MESSAGE_MAX_ATTEMPTS = 2
    gateway((502, {}), (502, {}))
    customer = CustomerFactory(phone="06 12345678")
    message, _ = send(customer)

    assert [message_send(message_id=message.pk) for _ in range(2)] == ["queued", "failed"]
    message.refresh_from_db()
    assert message.error.endswith("(tried 2 times)") and message.retryable
    problem = TimelineEntry.objects.filter(customer=customer).order_by("-seq").first()
    assert problem.summary.endswith("could not be sent") and "messages panel" in problem.body


def test_a_number_the_gateway_refuses_fails_at_once(reminder, gateway):
    gateway((400, {"error": "invalid number"}))
    customer = CustomerFactory(phone="06 12345678")
    message, _ = send(customer)

    assert message_send(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.attempts == 1 and "400" in message.error and "invalid number" in message.error


def test_no_gateway_at_all_is_a_retry_not_a_failure(reminder, settings):
    settings.MESSAGING_BACKENDS = {**settings.MESSAGING_BACKENDS, "sms": GATEWAY}
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/messages"  # nothing listens on port 9
    customer = CustomerFactory(phone="06 12345678")
    message, _ = send(customer)

    assert message_send(message_id=message.pk) == "queued"
    message.refresh_from_db()
    assert "could not be reached" in message.error and message.status == OutboundMessage.Status.QUEUED


def test_an_admin_edits_a_template_and_the_next_message_says_the_new_text(
    client, make_user, reminder, django_capture_on_commit_callbacks
):
    admin_user = make_user("admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    url = reverse("admin:messaging_messagetemplate_change", args=[reminder.pk])
    fields = {"description": "", "subject_nl": "", "subject_en": "", "body_en": "Dear {name}, {window}."}

    refused = client.post(url, {**fields, "body_nl": "Beste {name.__init__}"})
    assert refused.status_code == 200 and "Placeholders are plain names in braces" in refused.content.decode()
    saved = client.post(url, {**fields, "body_nl": "Hoi {name}, we bellen {window}."})
    assert saved.status_code == 302

    customer = CustomerFactory(name="Sanne Bakker", phone="06 12345678")
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = send(customer, window="morgen om 10 uur")
    assert message.body == "Hoi Sanne Bakker, we bellen morgen om 10 uur.\n"


def test_no_letter_goes_to_an_address_the_customer_moved_away_from(reminder):
    from console.customers.models import Address
    from console.messaging.selectors import recipient_for

    customer = CustomerFactory(address={"street": "Dorpsstraat 12", "postal_code": "3511 AB", "city": "Utrecht"})
    Address.objects.filter(customer=customer).update(status=Address.Status.MOVED)  # as address_correct leaves it

    recipient, missing = recipient_for(customer=customer, channel="post")
    assert recipient is None and missing == "there is no postal address on file"
