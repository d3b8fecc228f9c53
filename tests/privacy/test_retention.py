"""Raw event payloads are purged after the retention period; what the console still reads stays,
the job says what it removed, and running it again removes nothing more."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.commerce.models import Invoice, Order
from console.commerce.services import invoice_issue
from console.customers.models import Customer
from console.ingest.models import InboundEvent
from console.privacy.retention import fiscal_records_purge
from console.timeline.models import TimelineEntry
from tests.factories import CustomerFactory, add_order
from tests.ingest.events import event

pytestmark = pytest.mark.django_db

OLD, NEW = "ev-old", "ev-new"


@pytest.fixture
def two_tweets(api, customer):
    for event_id in (OLD, NEW):
        data = {"channel": "twitter", "direction": "inbound", "summary": "Pakket kwijt", "thread": f"t-{event_id}"}
        assert api.post(event("interaction.recorded", data, id=event_id)).status_code == 201
    long_ago = timezone.now() - timedelta(days=91)
    InboundEvent.objects.filter(event_id=OLD).update(received_at=long_ago)
    TimelineEntry.objects.filter(raw__id=OLD).update(recorded_at=long_ago)
    return customer


def purge(days=None):
    out = StringIO()
    call_command("purge_payloads", *([f"--days={days}"] if days else []), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_old_payloads_are_purged_and_what_the_console_reads_stays(two_tweets, api, client_as):
    assert purge().startswith("Purged 1 event payloads and 1 timeline copies older than")
    old, new = InboundEvent.objects.get(event_id=OLD), InboundEvent.objects.get(event_id=NEW)
    assert old.body == {} and new.body["data"]["summary"] == "Pakket kwijt"
    entry = TimelineEntry.objects.get(summary="Pakket kwijt", raw__purged=True)
    assert entry.raw == {"data": {"channel": "twitter", "thread": f"t-{OLD}"}, "purged": True}
    # The entry itself, and the conversation it belongs to, are still there for agents.
    page = client_as("webcare").get(two_tweets.get_absolute_url()).content.decode()
    assert page.count("Pakket kwijt") >= 2
    # A retry of the old event is still recognised, not applied again.
    data = {"channel": "twitter", "direction": "inbound", "summary": "Pakket kwijt", "thread": f"t-{OLD}"}
    assert api.post(event("interaction.recorded", data, id=OLD)).status_code == 200
    assert TimelineEntry.objects.filter(summary="Pakket kwijt").count() == 2
    audit = AuditEvent.objects.get(action="purged_payloads")
    assert audit.detail.startswith("1 event payloads and 1 timeline copies") and audit.actor is None


def test_running_it_again_removes_nothing_more(two_tweets):
    purge()
    assert purge().startswith("Nothing to purge")
    assert AuditEvent.objects.filter(action="purged_payloads").count() == 1
    assert InboundEvent.objects.get(event_id=NEW).body != {}


def test_it_keeps_at_least_a_week(two_tweets):
    with pytest.raises(CommandError, match="at least 7 days"):
        purge(days=3)


def test_an_erased_customers_invoices_go_once_the_fiscal_retention_period_is_over():
    erased, kept = CustomerFactory(), CustomerFactory()
    for customer in (erased, kept):
        old = add_order(customer, number=f"WS-OLD-{customer.pk}", placed_at=timezone.now().replace(year=2018))
        invoice_issue(
            customer_id=customer.pk,
            invoice_number=f"INV-2018-{customer.pk}",
            amount=Decimal("10.00"),
            issued_on=date(2018, 12, 31),
            due_on=date(2019, 1, 14),
            order_number=old.order_number,
        )
        invoice_issue(
            customer_id=customer.pk,
            invoice_number=f"INV-2019-{customer.pk}",
            amount=Decimal("10.00"),
            issued_on=date(2019, 1, 2),
            due_on=date(2019, 1, 16),
        )
    Customer.objects.filter(pk=erased.pk).update(erased_at=timezone.now(), name="Erased customer")

    # On 3 December 2026 the books of 2018 and before may go (seven years after the year's end).
    assert fiscal_records_purge(today=date(2026, 12, 3)) == {"invoices": 1, "returns": 0, "orders": 1}
    assert list(Invoice.objects.filter(customer=erased).values_list("invoice_number", flat=True)) == [
        f"INV-2019-{erased.pk}"
    ]
    assert not Order.objects.filter(customer=erased).exists()
    # A customer who was not erased keeps everything; a second run deletes nothing more.
    assert Invoice.objects.filter(customer=kept).count() == 2 and Order.objects.filter(customer=kept).count() == 1
    assert fiscal_records_purge(today=date(2026, 12, 3)) == {"invoices": 0, "returns": 0, "orders": 0}
    assert fiscal_records_purge(today=date(2027, 1, 1))["invoices"] == 1
