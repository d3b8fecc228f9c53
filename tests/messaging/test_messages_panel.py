"""The picture's messages panel: an agent writes to the customer, sees the delivery status,
sends a failed message again; store staff see the messages but cannot send."""

import pytest
from django.urls import reverse

from console.accounts.models import AuditEvent
from console.customers.services import identifier_add
from console.messaging.models import OutboundMessage
from console.timeline.models import TimelineEntry
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sanne(db):
    customer = CustomerFactory(name="Sanne Bakker", phone="06 12345678", email="sanne@example.nl")
    identifier_add(customer_id=customer.pk, kind="handle", namespace="twitter", value="@SanneB")
    return customer


def send_url(customer):
    return reverse("messaging:message-send", args=[customer.pk])


def test_the_panel_offers_every_channel_the_customer_can_be_reached_on(client_as, sanne):
    html = client_as("webcare").get(sanne.get_absolute_url()).content.decode()
    assert 'id="panel-messages"' in html and "Write to the customer" in html
    assert "SMS to +31612345678" in html and "E-mail to sanne@example.nl" in html and "Twitter to sanneb" in html


def test_an_agent_texts_the_customer_and_sees_it_sent_on_the_panel_and_the_timeline(client_as, sanne, post, outbox):
    client = client_as("phone")
    response = post(client, send_url(sanne), {"channel": "sms", "text": "We bellen u morgen om 10 uur terug."})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Your SMS is on its way." in html and "We bellen u morgen om 10 uur terug." in html
    message = OutboundMessage.objects.get(customer=sanne)
    assert (message.status, message.to_address, message.requested_by) == ("sent", "+31612345678", client.user)
    assert '<span class="pill st-sent"' in client.get(reverse("messaging:messages", args=[sanne.pk])).content.decode()
    entry = TimelineEntry.objects.get(customer=sanne, kind="message")
    assert (
        entry.actor_user == client.user and entry.summary == "SMS to +31612345678: We bellen u morgen om 10 uur terug."
    )
    assert AuditEvent.objects.filter(action="sent_message", actor=client.user, customer=sanne).exists()


def test_what_the_customer_wrote_is_shown_escaped(client_as, sanne, post):
    client = client_as("webcare")
    post(client, send_url(sanne), {"channel": "twitter", "text": "<script>alert(1)</script> Sorry!"})
    html = client.get(sanne.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Sorry!" in html


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"channel": "sms", "text": "   "}, "Write the message first."),
        ({"channel": "whatsapp", "text": "Hoi"}, "The customer cannot be reached that way now."),
    ],
)
def test_a_message_that_cannot_go_is_refused_with_a_reason_and_the_text_kept(client_as, sanne, post, data, error):
    response = post(client_as("phone"), send_url(sanne), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert error in html and not OutboundMessage.objects.exists()
    if data["text"].strip():
        assert f">{data['text']}</textarea>" in html


def test_a_failed_message_shows_why_and_can_be_sent_again(client_as, sanne, post, settings):
    settings.MESSAGING_BACKENDS = {**settings.MESSAGING_BACKENDS, "sms": "tests.messaging.backends.Refusing"}
    client = client_as("webcare")
    post(client, send_url(sanne), {"channel": "sms", "text": "Uw pakket komt morgen."})
    message = OutboundMessage.objects.get(customer=sanne)
    html = client.get(sanne.get_absolute_url()).content.decode()
    assert message.status == "failed" and "1 not sent" in html and "Send again" in html

    settings.MESSAGING_BACKENDS = {
        **settings.MESSAGING_BACKENDS,
        "sms": "console.messaging.backends.outbox.OutboxBackend",
    }
    response = post(client, reverse("messaging:message-retry", args=[sanne.pk, message.pk]))
    assert "The message is being sent again." in response.content.decode()
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 2


def test_store_staff_see_the_messages_but_cannot_send(client_as, sanne, post):
    post(client_as("phone"), send_url(sanne), {"channel": "sms", "text": "Uw pakket komt morgen."})
    store = client_as("store")
    html = store.get(sanne.get_absolute_url()).content.decode()
    assert "Uw pakket komt morgen." in html and "Write to the customer" not in html
    assert post(store, send_url(sanne), {"channel": "sms", "text": "Hoi"}).status_code == 403
    assert OutboundMessage.objects.count() == 1


def test_agents_cannot_write_to_a_customer_they_may_not_see(client_as, sanne, post):
    response = post(
        client_as("phone"), reverse("messaging:message-send", args=[999_999]), {"channel": "sms", "text": "x"}
    )
    assert response.status_code == 404 and not OutboundMessage.objects.exists()


def test_the_timeline_entry_of_a_message_shows_its_delivery_status_as_it_is_now(client_as, sanne, post, settings):
    settings.MESSAGING_BACKENDS = {**settings.MESSAGING_BACKENDS, "sms": "tests.messaging.backends.Refusing"}
    client = client_as("webcare")
    post(client, send_url(sanne), {"channel": "sms", "text": "Uw pakket komt morgen."})
    message = OutboundMessage.objects.get(customer=sanne)
    entry = TimelineEntry.objects.get(customer=sanne, kind="message", summary__startswith="SMS to")
    assert entry.raw["status"] == "queued"  # as it was written, before the send

    def shown_status():
        html = client.get(sanne.get_absolute_url()).content.decode()
        start = html.index(f'id="entry-{entry.seq}"')
        pill = html.index(f'data-message-status="{message.pk}"', start)
        return html[html.rindex("<span", start, pill) : html.index("</span>", pill)]

    assert 'class="pill st-failed"' in shown_status() and ">Failed" in shown_status()
    settings.MESSAGING_BACKENDS = {
        **settings.MESSAGING_BACKENDS,
        "sms": "console.messaging.backends.outbox.OutboxBackend",
    }
    post(client, reverse("messaging:message-retry", args=[sanne.pk, message.pk]))
    assert 'class="pill st-sent"' in shown_status() and ">Sent" in shown_status()
