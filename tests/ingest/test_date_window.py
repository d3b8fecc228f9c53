"""Dates and times outside 1900-2199 are refused, so that no event can break a customer's page,
timeline API or live pushes (docs/api.md, "Dates and times")."""

import itertools
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.picture.fragments import entry_message
from console.timeline.models import TimelineEntry
from tests.ingest.events import event, interaction, invoice

pytestmark = pytest.mark.django_db

OUTSIDE = [
    "9999-12-31T23:30:00-01:00",  # past the year 9999 in UTC
    "0001-01-01T00:00:00+01:00",  # before the year 1 in UTC
    "9999-12-31T23:00:00+00:00",
    "1899-12-31T23:59:59Z",
    "2199-12-31T23:00:00Z",  # 2200-01-01T00:00 in Amsterdam
    "2200-01-01T00:30:00+01:00",
]
INSIDE = [
    "1900-01-01T00:00:00Z",
    "1899-12-31T23:30:00-01:00",
    "2199-12-31T22:59:59Z",
    "2199-12-31T23:59:59+01:00",
    # Offsets ISO 8601 allows and PostgreSQL does not store (it stops at 15:59; hypothesis found it).
    "2000-01-01T00:00:00+16:00",
    "2026-11-24T09:15:00-23:59",
]


def identity(expires_on="2030-01-31", **envelope):
    data = {"document_type": "passport", "document_last4": "1234", "expires_on": expires_on, "result": "valid"}
    return event("identity.checked", data, **envelope)


def payment(received_on):
    return event("payment.received", {"invoice_number": "INV-1", "amount": "10.00", "received_on": received_on})


def page_and_timeline_work(api, client, customer) -> None:
    timeline = api.get(f"/api/v1/customers/{customer.pk}/timeline", limit="1000")
    assert timeline.status_code == 200, timeline.content
    assert client.get(customer.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("occurred_at", OUTSIDE)
def test_a_time_outside_the_window_is_422(api, customer, occurred_at):
    response = api.post(interaction(occurred_at=occurred_at))
    assert response.status_code == 422, response.content
    assert "1900-01-01T00:00:00Z" in response.json()["errors"]["occurred_at"][0]
    assert api.get(f"/api/v1/customers/{customer.pk}/timeline").json() == []


@pytest.mark.parametrize("occurred_at", INSIDE)
def test_a_time_at_the_edge_of_the_window_is_taken_and_shown(api, client_as, customer, occurred_at):
    assert api.post(interaction(occurred_at=occurred_at)).status_code == 201
    page_and_timeline_work(api, client_as("phone"), customer)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (invoice(issued_on="0001-01-01"), "data.issued_on"),
        (invoice(due_on="9999-12-31"), "data.due_on"),
        (invoice(issued_on="1899-12-31", due_on="2026-01-01"), "data.issued_on"),
        (invoice(due_on="2200-01-01"), "data.due_on"),
        (payment("9999-12-31"), "data.received_on"),
        (payment("1000-01-01"), "data.received_on"),
        (identity(expires_on="9999-12-31"), "data.expires_on"),
        (identity(expires_on="0001-01-01"), "data.expires_on"),
        (identity(occurred_at="9999-12-31T23:30:00-01:00"), "occurred_at"),
    ],
)
def test_a_date_outside_the_window_is_422_in_every_event_type(api, customer, body, field):
    response = api.post(body)
    assert response.status_code == 422, response.content
    assert "1900" in response.json()["errors"][field][0]


def test_a_batch_refuses_only_the_event_outside_the_window(api, customer):
    events = [interaction(), interaction(occurred_at="9999-12-31T23:30:00-01:00"), identity(expires_on="2199-12-31")]
    response = api.post({"events": events}, path="/api/v1/events/batch")
    assert [r["status"] for r in response.json()["results"]] == [201, 422, 201]


# Offsets as far as ISO 8601 and Python allow (less than a day either way).
offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda m: f"{'-' if m < 0 else '+'}{abs(m) // 60:02d}:{abs(m) % 60:02d}"
)
moments = st.builds(lambda at, offset: at.isoformat() + offset, st.datetimes(), offsets)
days = st.dates().map(lambda d: d.isoformat())
numbers = itertools.count(1)


@st.composite
def dated_events(draw):
    occurred_at = draw(moments)
    kind = draw(st.sampled_from(["interaction", "identity", "invoice"]))
    if kind == "interaction":
        return interaction(occurred_at=occurred_at)
    if kind == "identity":
        return identity(expires_on=draw(days), occurred_at=occurred_at)
    issued = draw(st.dates())
    due = draw(st.dates(min_value=issued))
    return invoice(number=f"INV-H{next(numbers)}", issued_on=issued.isoformat(), due_on=due.isoformat())


@given(body=dated_events())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_accepted_date_breaks_the_page_the_timeline_or_a_push(api, client_as, customer, caplog, body):
    caplog.clear()
    response = api.post(body)
    assert response.status_code in (201, 422), response.content
    if response.status_code == 201:
        # The push was rendered and sent when the event committed; a failure there is only logged.
        assert not [r for r in caplog.records if r.name == "console.live.publish"]
        # And a console catching up by seq renders the entry as read back from the database.
        entry = TimelineEntry.objects.get(customer=customer, seq=response.json()["timeline_entry"]["seq"])
        assert entry_message(entry)["seq"] == entry.seq
        page_and_timeline_work(api, client_as("manager"), customer)


def test_the_window_is_valid_in_amsterdam_at_both_ends():
    from zoneinfo import ZoneInfo

    from console.dates import EARLIEST, LATEST

    amsterdam = ZoneInfo("Europe/Amsterdam")
    assert EARLIEST.astimezone(amsterdam).year == 1900
    assert (LATEST - timedelta(microseconds=1)).astimezone(amsterdam).year == 2199
    assert LATEST.astimezone(amsterdam) == datetime(2200, 1, 1, tzinfo=amsterdam)
