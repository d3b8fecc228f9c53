"""Promising a callback from the customer's picture and from a case page."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from console.accounts.models import AuditEvent
from console.callbacks.models import Callback
from console.cases.models import Case
from console.cases.services import case_open
from console.messaging.models import OutboundMessage
from tests.callbacks.conftest import at

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def promise_url(customer):
    return reverse("callbacks:promise", args=[customer.pk])


def window(start="2026-11-24T14:00", end="2026-11-24T15:00", **extra):
    return {"window_start": start, "window_end": end, **extra}


@pytest.fixture(autouse=True)
def tuesday_noon(templates):
    with time_machine.travel(at(24, 12, 10), tick=False):
        yield


def test_the_picture_offers_a_callback_with_the_next_free_hour(client_as, caller):
    customer = caller()
    page = client_as("phone").get(customer.get_absolute_url()).content.decode()
    assert "Callback…" in page and reverse("callbacks:promise", args=[customer.pk]) in page
    assert 'value="2026-11-24T13:00"' in page and 'value="2026-11-24T14:00"' in page
    assert "06 12345678" in page and "Text the customer this time slot (SMS)" in page


def test_a_phone_agent_promises_a_callback_that_appears_in_the_phone_queue(client_as, caller):
    customer = caller()
    client = client_as("phone")
    response = client.post(promise_url(customer), window(text_customer="on", about="Tweede SIM"), headers=HTMX)
    assert response.status_code == 200
    assert "Callback promised: 06 12345678 between 14:00 and 15:00 (Tue 24-11)." in response.content.decode()

    callback = Callback.objects.get(customer=customer)
    case = callback.case
    assert (case.kind, case.team, case.status, case.due_at) == ("callback", "phone", "open", at(24, 15))
    assert case.title == "Call back: Tweede SIM"
    assert case.next_step == "Call back 06 12345678 between 14:00 and 15:00 (Tue 24-11)"
    assert (callback.phone, callback.promised_by) == ("+31612345678", client.user)
    assert AuditEvent.objects.filter(actor=client.user, action="promised_callback", customer=customer).exists()
    sms = OutboundMessage.objects.get(customer=customer)
    assert sms.template_key == "callback_promised" and "dinsdag 24 november tussen 14:00 en 15:00" in sms.body

    queue = client.get(reverse("queues:queue", args=["phone"])).content.decode()
    assert "Call back: Tweede SIM" in queue
    assert "Call back <b>06 12345678</b> between 14:00 and 15:00 (Tue 24-11)" in queue


def test_without_the_box_the_customer_is_not_texted(client_as, caller):
    customer = caller()
    client_as("phone").post(promise_url(customer), window(), headers=HTMX)
    assert Callback.objects.filter(customer=customer).count() == 1
    assert not OutboundMessage.objects.exists()


def test_a_typed_number_is_normalised(client_as, caller):
    customer = caller(phone="")
    client_as("phone").post(promise_url(customer), window(phone="0031 6 23456789"), headers=HTMX)
    assert Callback.objects.get(customer=customer).phone == "+31623456789"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (window(end="2026-11-24T13:30"), "The window must end after it starts."),
        (window(start="2026-11-24T09:00", end="2026-11-24T10:00"), "That window is over or about to be"),
        (window(start="2026-11-24T12:00", end="2026-11-24T12:20"), "at least 15 minutes from now"),
        (window(phone="12"), "is not a phone number"),
        (window(start=""), "This field is required."),
        (window(start="2026-11-24T22:00", end="2026-11-24T23:00"), "Callbacks are made between 08:00 and 20:00"),
        (window(start="9999-12-31T14:00", end="9999-12-31T15:00"), "in the years 1900 to 2199"),
        (window(start="0001-01-01T14:00", end="0001-01-01T15:00"), "in the years 1900 to 2199"),
    ],
)
def test_a_window_that_is_no_promise_is_refused_with_the_reason(client_as, caller, data, error):
    customer = caller()
    response = client_as("phone").post(promise_url(customer), data, headers=HTMX)
    assert response.status_code == 422
    assert error in response.content.decode()
    assert not Callback.objects.exists() and not Case.objects.exists()


def test_without_a_number_on_record_the_agent_is_asked_to_type_one(client_as, caller):
    customer = caller(phone="")
    response = client_as("phone").post(promise_url(customer), window(), headers=HTMX)
    assert response.status_code == 422
    assert "no phone number on record: type the number to call" in response.content.decode()


def test_without_htmx_the_agent_lands_on_the_new_case(client_as, caller):
    customer = caller()
    response = client_as("phone").post(promise_url(customer), window())
    case = Callback.objects.get().case
    assert response.status_code == 302 and response.url == case.get_absolute_url()


def test_store_staff_may_promise_but_not_text(client_as, caller):
    """Store staff record interactions (callbacks included) but do not send messages."""
    customer = caller()
    client = client_as("store")
    page = client.get(customer.get_absolute_url()).content.decode()
    assert "Callback…" in page and "Text the customer this time slot (SMS)" not in page
    response = client.post(promise_url(customer), window(text_customer="on"), headers=HTMX)
    assert response.status_code == 200
    assert Callback.objects.filter(customer=customer, promised_by=client.user).exists()
    assert not OutboundMessage.objects.exists()
    # A box ticked anyway (a page rendered for another role) is not silently dropped.
    assert "(not texted: your role does not send messages)" in response.content.decode()


def test_a_live_push_offers_the_box_only_to_the_audience_that_sends_messages(caller):
    """The pushed panels are rendered once per audience: store staff get the store one."""
    from console.picture.fragments import _panels

    customer = caller()
    assert "Text the customer this time slot (SMS)" in _panels(customer, finance=True)
    store = _panels(customer, finance=False)
    assert "Callback…" in store and "Text the customer this time slot (SMS)" not in store


def test_the_number_on_record_is_the_newest_mobile_in_the_hint_and_in_the_callback(client_as, caller):
    from console.customers.services import identifier_add

    with time_machine.travel(at(1, 9), tick=False):
        customer = caller(phone="06 12345678")
    with time_machine.travel(at(2, 9), tick=False):
        identifier_add(customer_id=customer.pk, kind="phone", value="06 23456789")
    with time_machine.travel(at(3, 9), tick=False):
        identifier_add(customer_id=customer.pk, kind="phone", value="020 5551234")  # a landline takes no texts
    client = client_as("phone")
    page = client.get(customer.get_absolute_url()).content.decode()
    assert "(empty: 06 23456789)" in page
    client.post(promise_url(customer), window(), headers=HTMX)
    assert Callback.objects.get(customer=customer).phone == "+31623456789"


def test_the_admin_shows_callbacks_but_does_not_change_or_delete_them(admin_client, caller, promised):
    callback = promised(caller(), at(24, 14), at(24, 15))
    url = reverse("admin:callbacks_callback_change", args=[callback.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert (
        admin_client.post(reverse("admin:callbacks_callback_delete", args=[callback.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Callback.objects.filter(pk=callback.pk).exists()


def test_a_user_without_a_role_cannot_promise(client_as, caller):
    customer = caller()
    response = client_as(None).post(promise_url(customer), window(), headers=HTMX)
    assert response.status_code == 403
    assert not Callback.objects.exists()


def test_a_user_who_may_see_customers_but_not_record_cannot_promise(make_user, caller):
    """Only users who may record interactions promise callbacks, whatever else they may see."""
    from django.contrib.auth.models import Permission

    customer = caller()
    viewer = make_user(None)
    viewer.user_permissions.add(Permission.objects.get(codename="view_customers"))
    client = Client()
    client.force_login(viewer)
    assert client.get(customer.get_absolute_url()).status_code == 200
    assert client.post(promise_url(customer), window(), headers=HTMX).status_code == 403
    assert not Callback.objects.exists()


def test_the_form_needs_the_csrf_token(make_user, caller):
    customer = caller()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("phone"))
    assert client.post(promise_url(customer), window(), headers=HTMX).status_code == 403


def test_an_unknown_customer_is_not_found(client_as):
    assert client_as("phone").post(reverse("callbacks:promise", args=[999999]), window()).status_code == 404


def test_the_callback_can_belong_to_the_case_the_agent_is_on(client_as, caller):
    customer = caller()
    client = client_as("phone")
    case = case_open(customer_id=customer.pk, title="Tweede SIM niet geleverd", team="webcare", actor_user=client.user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Promise a callback…" in page and "No callback promised on this case." in page
    response = client.post(
        reverse("callbacks:promise-on-case", args=[case.pk]), window(text_customer="on"), headers=HTMX
    )
    assert response.status_code == 200 and response.headers["HX-Refresh"] == "true"
    callback = Callback.objects.get()
    case.refresh_from_db()
    assert callback.case == case and Case.objects.count() == 1
    assert (case.team, case.due_at) == ("phone", at(24, 15))
    assert OutboundMessage.objects.get().case == case
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Callback promised: 06 12345678 between 14:00 and 15:00 (Tue 24-11)." in page
    assert 'href="tel:+31612345678"' in page and "Callback made" in page


def test_a_complaints_deadline_is_kept_when_a_callback_is_promised_on_it(client_as, caller, promised):
    customer = caller()
    complaint = case_open(customer_id=customer.pk, title="Klacht over koerier", kind="complaint", channel="post")
    deadline = complaint.due_at
    promised(customer, at(24, 14), at(24, 15), case_id=complaint.pk)
    complaint.refresh_from_db()
    assert complaint.due_at == deadline and complaint.next_step.startswith("Call back 06 12345678")


def test_a_case_page_refuses_a_bad_window_in_the_panel(client_as, caller):
    customer = caller()
    case = case_open(customer_id=customer.pk, title="Vraag")
    response = client_as("phone").post(
        reverse("callbacks:promise-on-case", args=[case.pk]), window(end="2026-11-24T13:00"), headers=HTMX
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="card case-callbacks" id="case-callbacks"')
    assert "The window must end after it starts." in page
