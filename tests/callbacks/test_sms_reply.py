"""The customer answers the text by SMS: the reply lands on the open callback case (S5)."""

import pytest
import time_machine

from console.callbacks.about_to_be_missed import callbacks_warn_about_to_be_missed
from console.cases.services import case_open
from console.timeline.models import TimelineEntry
from tests.callbacks.conftest import at
from tests.ingest.events import interaction

pytestmark = pytest.mark.django_db


def sms_reply(text="Na vieren kan ook, liever 16:30.", **fields):
    fields = {"channel": "sms", "direction": "inbound", **fields}
    return interaction(
        summary=text, customer={"phone": "+31612345678"}, occurred_at="2026-11-24T14:55:00+01:00", **fields
    )


def test_an_sms_reply_lands_on_the_open_callback_case_and_shows_on_the_case_page(api, client_as, caller, promised):
    customer = caller()
    with time_machine.travel(at(24, 13), tick=False):
        callback = promised(customer, at(24, 14), at(24, 15))
    with time_machine.travel(at(24, 14, 50), tick=False):
        callbacks_warn_about_to_be_missed()
        response = api.post(sms_reply())
    assert response.status_code == 201, response.json()
    entry = TimelineEntry.objects.get(pk=response.json()["timeline_entry"]["id"])
    assert entry.case == callback.case and entry.channel == "sms"
    assert response.json()["timeline_entry"]["case_ref"] == callback.case.reference
    page = client_as("phone").get(callback.case.get_absolute_url()).content.decode()
    assert "Na vieren kan ook, liever 16:30." in page


def test_the_most_recently_promised_open_callback_gets_the_reply(api, caller, promised):
    customer = caller()
    with time_machine.travel(at(24, 9), tick=False):
        older = promised(customer, at(24, 14), at(24, 15))
    with time_machine.travel(at(24, 10), tick=False):
        newer = promised(customer, at(25, 10), at(25, 11))
    assert older.case != newer.case
    response = api.post(sms_reply())
    assert TimelineEntry.objects.get(pk=response.json()["timeline_entry"]["id"]).case == newer.case


def test_a_case_ref_in_the_event_wins(api, caller, promised):
    customer = caller()
    other = case_open(customer_id=customer.pk, title="Factuurvraag")
    with time_machine.travel(at(24, 9), tick=False):
        promised(customer, at(24, 14), at(24, 15))
    response = api.post(sms_reply(case_ref=other.reference))
    assert TimelineEntry.objects.get(pk=response.json()["timeline_entry"]["id"]).case == other


def test_without_an_open_callback_the_sms_is_on_the_timeline_only(api, caller):
    caller()
    response = api.post(sms_reply())
    assert response.status_code == 201
    assert "case_ref" not in response.json()["timeline_entry"]
    assert TimelineEntry.objects.get(pk=response.json()["timeline_entry"]["id"]).case is None


def test_other_channels_do_not_land_on_the_callback_case(api, caller, promised):
    customer = caller()
    with time_machine.travel(at(24, 9), tick=False):
        promised(customer, at(24, 14), at(24, 15))
    response = api.post(sms_reply(channel="whatsapp"))
    assert TimelineEntry.objects.get(pk=response.json()["timeline_entry"]["id"]).case is None


def test_a_callback_made_days_ago_no_longer_takes_the_customers_sms(api, caller, promised, make_user):
    """The case stays open after the call (a next step); a text two days later is news, not
    an answer to the callback."""
    from console.callbacks.services import callback_complete

    customer = caller()
    agent = make_user("phone")
    with time_machine.travel(at(20, 9), tick=False):
        callback = promised(customer, at(20, 14), at(20, 15), user=agent)
    with time_machine.travel(at(20, 14, 10), tick=False):
        callback_complete(callback_id=callback.pk, user=agent, outcome="Gebeld", next_step="Pakket nasturen")
    with time_machine.travel(at(21, 9), tick=False):
        response = api.post(sms_reply())
    assert TimelineEntry.objects.get(pk=response.json()["timeline_entry"]["id"]).case == callback.case
    with time_machine.travel(at(24, 15), tick=False):
        response = api.post(sms_reply("Is het pakket al onderweg?"))
    assert TimelineEntry.objects.get(pk=response.json()["timeline_entry"]["id"]).case is None
