"""``manage.py repair_dates`` puts dates stored before the window was checked back inside it."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.db import connection

from console.commerce.models import Invoice
from console.customers.models import Customer
from console.timeline.models import TimelineEntry
from tests.ingest.events import interaction, invoice

pytestmark = pytest.mark.django_db


def repair() -> str:
    from io import StringIO

    out = StringIO()
    call_command("repair_dates", stdout=out)
    return out.getvalue()


def test_it_repairs_what_the_api_let_through_before(api, client_as, customer):
    api.post(interaction())
    api.post(invoice())
    entry = TimelineEntry.objects.get(kind=TimelineEntry.Kind.INTERACTION)
    TimelineEntry.objects.filter(pk=entry.pk).update(occurred_at=datetime(9999, 12, 31, 23, 30, tzinfo=UTC))
    Invoice.objects.update(issued_on=date(1, 1, 1), due_on=date(9999, 12, 31))
    Customer.objects.filter(pk=customer.pk).update(id_document_expires_on=date(9999, 12, 31))

    out = repair()

    entry.refresh_from_db()
    assert entry.occurred_at == entry.recorded_at
    assert Invoice.objects.values_list("issued_on", "due_on").get() == (date(1900, 1, 1), date(2199, 12, 31))
    assert Customer.objects.get(pk=customer.pk).id_document_expires_on == date(2199, 12, 31)
    assert "timeline.TimelineEntry.occurred_at: 1 repaired" in out and "4 values repaired." in out
    assert api.get(f"/api/v1/customers/{customer.pk}/timeline").status_code == 200
    assert client_as("manager").get(customer.get_absolute_url()).status_code == 200


def test_a_time_python_cannot_read_is_repaired_on_postgresql(api, customer):
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL stores the year 10000")
    api.post(interaction())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE timeline_timelineentry SET occurred_at = '10000-01-01T00:30:00+00'")

    assert "1 values repaired." in repair()
    assert api.get(f"/api/v1/customers/{customer.pk}/timeline").status_code == 200


def test_it_leaves_dates_inside_the_window_alone(api, customer):
    api.post(invoice(issued_on="1900-01-01", due_on="2199-12-31"))
    assert repair().strip() == "0 values repaired."
    assert Invoice.objects.values_list("issued_on", "due_on").get() == (date(1900, 1, 1), date(2199, 12, 31))
