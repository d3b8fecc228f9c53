"""The invoices panel's statement actions: send, copy, send again; store staff may not."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.messaging.models import OutboundMessage, Statement
from tests.messaging.conftest import bounced, undeliverable

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def send_url(customer):
    return reverse("messaging:statement-send", args=[customer.pk])


@pytest.fixture
def debtor(make_debtor):
    return make_debtor()


def test_the_invoices_panel_offers_phone_agents_the_send_button(client_as, debtor):
    html = client_as("phone").get(debtor.get_absolute_url()).content.decode()
    assert "Send statement" in html and send_url(debtor) in html


def test_store_staff_see_no_statement_actions(client_as, debtor):
    html = client_as("store").get(debtor.get_absolute_url()).content.decode()
    assert "Send statement" not in html and send_url(debtor) not in html


@pytest.mark.parametrize("name", ["statement", "statement-send", "message-retry"])
def test_store_staff_are_refused(client_as, debtor, name):
    args = [debtor.pk, 1] if name == "message-retry" else [debtor.pk]
    client = client_as("store")
    response = client.get(reverse(f"messaging:{name}", args=args)) if name == "statement" else None
    response = response or client.post(reverse(f"messaging:{name}", args=args), headers=HTMX)
    assert response.status_code == 403
    assert mail.outbox == [] and not Statement.objects.exists()


def test_an_agent_sends_the_statement_and_sees_it_went_out(client_as, debtor, post):
    client = client_as("phone")
    response = post(client, send_url(debtor))

    assert response.status_code == 200
    html = response.content.decode()
    assert "The statement is on its way." in html
    assert f"sent by {client.user.get_full_name()}" in html
    assert "E-mail to klant1.nl@example.nl" in html and "Post to Dorpsstraat 12, 3511 AB Utrecht" in html
    assert "Send a copy" in html
    # The timeline comes along (out of band) with the new entry on top.
    assert 'id="timeline" hx-swap-oob="true"' in html and "Invoice statement for" in html
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="sent_statement", actor=client.user, customer=debtor).count() == 1
    # While the messages were on their way the panel looked again every few seconds; now they are sent.
    assert 'hx-trigger="every 2s"' in html
    panel = client.get(reverse("messaging:statement", args=[debtor.pk]), headers=HTMX).content.decode()
    assert panel.count('class="pill st-sent"') == 2 and "hx-trigger" not in panel


def test_sending_again_tells_when_and_how_it_went_out_and_sends_nothing(client_as, debtor, post):
    client = client_as("phone")
    post(client, send_url(debtor))
    response = post(client, send_url(debtor))

    html = response.content.decode()
    assert "already went out on" in html and "you can send a copy" in html
    assert "E-mail to klant1.nl@example.nl" in html
    assert len(mail.outbox) == 1 and OutboundMessage.objects.count() == 2


def test_a_copy_goes_out_at_most_once_a_day(client_as, debtor, post):
    client = client_as("webcare")
    post(client, send_url(debtor))

    copy = post(client, send_url(debtor), {"copy": "1"})
    assert copy.status_code == 200 and "A copy of the statement is on its way." in copy.content.decode()
    assert len(mail.outbox) == 2 and mail.outbox[1].subject.startswith("Kopie: Rekeningoverzicht")
    assert mail.outbox[1].body == mail.outbox[0].body

    again = post(client, send_url(debtor), {"copy": "1"})
    assert again.status_code == 422 and "already went out today" in again.content.decode()
    assert len(mail.outbox) == 2

    tomorrow = timezone.now() + timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        Statement.objects.update(period=f"{timezone.localdate(tomorrow):%Y-%m}")  # the month may turn overnight
        client.force_login(client.user)  # the next morning: yesterday's session ended (SESSION_IDLE_HOURS)
        next_day = post(client, send_url(debtor), {"copy": "1"})
    assert next_day.status_code == 200
    assert len(mail.outbox) == 3
    assert OutboundMessage.objects.filter(is_copy=True).count() == 4  # e-mail and post, two days


def test_an_agent_is_told_why_a_statement_cannot_be_delivered(client_as, debtor, post):
    undeliverable(debtor)
    bounced(debtor)
    response = post(client_as("phone"), send_url(debtor))

    assert response.status_code == 422
    assert "cannot be delivered" in response.content.decode() and "bounced" in response.content.decode()
    assert not Statement.objects.exists()


def test_an_unconfirmed_message_can_be_sent_again_from_the_panel(client_as, debtor, post, worker_dies_mid_send):
    from console.messaging.tasks import message_send_task

    undeliverable(debtor)
    message = worker_dies_mid_send(debtor)
    message_send_task.delay(message.pk)  # delivered again: "delivery not confirmed"
    client = client_as("phone")

    panel = client.get(reverse("messaging:statement", args=[debtor.pk]), headers=HTMX).content.decode()
    assert "Delivery not confirmed" in panel and "ask the customer before sending it again" in panel
    response = post(client, reverse("messaging:message-retry", args=[debtor.pk, message.pk]))

    assert response.status_code == 200 and "The message is being sent again." in response.content.decode()
    assert len(mail.outbox) == 2
    message.refresh_from_db()
    assert message.status == "sent"


def test_without_htmx_the_agent_lands_back_on_the_picture_with_a_notice(
    client_as, debtor, django_capture_on_commit_callbacks
):
    client = client_as("phone")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send_url(debtor), follow=True)
    assert response.redirect_chain[-1][0] == debtor.get_absolute_url()
    assert "The statement is on its way." in response.content.decode()


def test_the_panel_costs_the_same_queries_however_many_messages_it_lists(
    client_as, debtor, post, django_assert_max_num_queries
):
    client = client_as("phone")
    url = reverse("messaging:statement", args=[debtor.pk])
    post(client, send_url(debtor))
    with django_assert_max_num_queries(10) as original:
        client.get(url, headers=HTMX)
    post(client, send_url(debtor), {"copy": "1"})
    with django_assert_max_num_queries(10) as with_copies:
        response = client.get(url, headers=HTMX)
    assert response.content.decode().count('class="statement-message"') == 4
    assert len(with_copies) == len(original)


def test_an_undeliverable_statement_can_be_tried_again_once_the_email_is_corrected(
    client_as, debtor, post, django_capture_on_commit_callbacks
):
    from console.customers.services import identifier_add
    from console.messaging.selectors import period_of
    from console.messaging.statements import statement_send

    undeliverable(debtor)
    bounced(debtor)
    statement_send(customer_id=debtor.pk, period=period_of(timezone.localdate()))  # the monthly run
    client = client_as("phone")
    panel = client.get(reverse("messaging:statement", args=[debtor.pk]), headers=HTMX).content.decode()
    assert "Could not be delivered on" in panel and "Try again" in panel

    identifier_add(customer_id=debtor.pk, kind="email", value="jeroen.nieuw@example.nl")
    response = post(client, send_url(debtor), {"copy": "1"})

    assert response.status_code == 200
    [sent] = mail.outbox
    assert sent.to == ["jeroen.nieuw@example.nl"] and sent.subject.startswith("Rekeningoverzicht")
