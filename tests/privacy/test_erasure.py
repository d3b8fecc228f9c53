"""Right to erasure: asked by one person, decided by another (a manager), carried out once and
for good. Afterwards nothing personal is left anywhere in the database except the invoices and
payments the law makes us keep, and a source system that sends an event for the customer is told
the customer was erased."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection

from console.accounts.models import AuditEvent
from console.commerce.models import Invoice, Order, Payment
from console.customers.models import Customer
from console.ingest.models import InboundEvent
from console.picture.merge import customer_merge
from console.privacy.models import DataExport, ErasureRequest
from console.timeline.models import TimelineEntry
from tests.factories import CustomerFactory, UserFactory
from tests.ingest.events import event
from tests.privacy.conftest import EMAIL, INVOICE, NAME, ORDER, PHONE

pytestmark = pytest.mark.django_db


def ask(client, customer, reason="Per e-mail gevraagd op 2 december"):
    return client.post(f"/privacy/customers/{customer.pk}/erasure", {"reason": reason})


def decide(client, erasure, decision, note="", capture=None):
    with capture(execute=True):
        return client.post(f"/privacy/erasures/{erasure.pk}/decide", {"decision": decision, "note": note})


def every_text_in_the_database() -> dict[str, list[str]]:
    """Every row of every table, as text, by table."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the database itself
            found[table] = [" ".join(str(value) for value in row) for row in cursor.fetchall()]
    return found


def where(texts: dict[str, list[str]], needle: str) -> list[str]:
    """The tables with a row that holds the needle; a phone number in any spelling ("06 12398765")."""
    digits = needle.isdigit()
    return sorted(
        {
            table
            for table, rows in texts.items()
            for row in rows
            if needle.lower() in (re.sub(r"[\s().+-]", "", row) if digits else row.lower())
        }
    )


PERSONAL = [NAME, "Zonderland", EMAIL, PHONE[1:], "Zonnelaan", "crm-77"]


def test_after_erasure_nothing_personal_remains_outside_the_retained_invoices(
    everything, client, make_user, django_capture_on_commit_callbacks
):
    customer, agent, manager = everything
    before = every_text_in_the_database()
    assert all(where(before, needle) for needle in PERSONAL), "the test customer's data is there to begin with"

    client.force_login(agent)
    assert ask(client, customer).status_code == 302
    erasure = ErasureRequest.objects.get(customer=customer)
    client.force_login(manager)
    assert decide(client, erasure, "approve", capture=django_capture_on_commit_callbacks).status_code == 302

    erasure.refresh_from_db()
    assert erasure.status == "done" and erasure.summary["sources"] == ["webshop"]
    after = every_text_in_the_database()
    left = {needle: where(after, needle) for needle in PERSONAL if where(after, needle)}
    assert not left, f"personal data left after erasure: {left}"

    # Kept for the fiscal retention period, under the customer number only.
    customer.refresh_from_db()
    assert customer.name == "Erased customer" and customer.erased_at is not None
    assert Invoice.objects.get(customer=customer).invoice_number == INVOICE
    assert Payment.objects.filter(invoice__customer=customer).count() == 1
    assert Order.objects.get(customer=customer).order_number == ORDER
    assert not TimelineEntry.objects.filter(customer=customer).exists()
    assert InboundEvent.objects.filter(customer=customer).exclude(body={}).count() == 0
    # The page says so, shows the kept invoice, and offers no form to record anything new.
    page = client.get(customer.get_absolute_url()).content.decode()
    assert "personal data was erased" in page and INVOICE in page and 'id="record-form"' not in page
    client.force_login(agent)
    note = {"record_kind": "note", "channel": "phone", "summary": "Belde nog", "body": ""}
    assert client.post(f"/customers/{customer.pk}/record/", note).status_code == 403
    assert not TimelineEntry.objects.filter(customer=customer).exists()
    actions = set(AuditEvent.objects.filter(customer=customer).values_list("action", flat=True))
    assert {"requested_erasure", "approved_erasure", "erased_customer"} <= actions


def test_a_later_event_for_the_erased_customer_is_refused_and_not_stored(
    everything, api, client, django_capture_on_commit_callbacks
):
    customer, agent, manager = everything
    client.force_login(agent)
    ask(client, customer)
    client.force_login(manager)
    decide(client, ErasureRequest.objects.get(), "approve", capture=django_capture_on_commit_callbacks)
    stored = InboundEvent.objects.count()
    body = event(
        "interaction.recorded",
        {"channel": "chat", "direction": "inbound", "summary": "Nog een vraag"},
        customer={"customer_number": customer.customer_number},
    )
    response = api.post(body)
    assert response.status_code == 410
    assert "erased" in response.json()["errors"]["customer"][0]
    assert InboundEvent.objects.count() == stored
    assert not TimelineEntry.objects.filter(customer=customer).exists()


def test_the_one_who_asks_cannot_decide_and_a_refusal_needs_a_reason(
    everything, client, make_user, django_capture_on_commit_callbacks
):
    customer, _agent, manager = everything
    client.force_login(manager)
    assert ask(client, customer).status_code == 302
    erasure = ErasureRequest.objects.get()
    assert decide(client, erasure, "approve", capture=django_capture_on_commit_callbacks).status_code == 403
    assert "Waiting for another manager" in client.get(f"/privacy/customers/{customer.pk}/").content.decode()
    # A second request while one waits is refused with a message.
    response = ask(client, customer)
    assert response.status_code == 422 and "already waiting" in response.content.decode()

    other = make_user("manager")
    client.force_login(other)
    response = decide(client, erasure, "refuse", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 422 and "Say why" in response.content.decode()
    decide(client, erasure, "refuse", note="Lopend geschil over factuur", capture=django_capture_on_commit_callbacks)
    erasure.refresh_from_db()
    assert erasure.status == "refused" and erasure.decided_by == other
    assert Customer.objects.get(pk=customer.pk).name == NAME
    # Decided once: approving afterwards changes nothing.
    response = decide(client, erasure, "approve", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 422 and Customer.objects.get(pk=customer.pk).erased_at is None


def test_agents_ask_but_do_not_decide_and_a_request_needs_a_reason(everything, client_as):
    customer, *_ = everything
    client = client_as("store")
    response = ask(client, customer, reason="  ")
    assert response.status_code == 422 and "Say how the customer asked" in response.content.decode()
    assert ask(client, customer).status_code == 302
    erasure = ErasureRequest.objects.get()
    assert client.post(f"/privacy/erasures/{erasure.pk}/decide", {"decision": "approve"}).status_code == 403
    assert client.get("/privacy/erasures/").status_code == 403
    assert ErasureRequest.objects.get().status == "requested"


def test_managers_see_the_waiting_requests(everything, client_as):
    customer, *_ = everything
    ask(client_as("phone"), customer)
    page = client_as("manager").get("/privacy/erasures/").content.decode()
    assert NAME in page and "Per e-mail gevraagd op 2 december" in page


def test_an_erasure_takes_the_customers_exports_with_it(
    everything, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    customer, agent, manager = everything
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/privacy/customers/{customer.pk}/export")
    export = DataExport.objects.get()
    assert export.status == "ready" and len(list(tmp_path.iterdir())) == 2
    client.force_login(agent)
    ask(client, customer, reason=f"Mail van {EMAIL}")
    client.force_login(make_other_manager := UserFactory(role="manager"))
    decide(
        client,
        ErasureRequest.objects.get(),
        "approve",
        note=f"Akkoord, {NAME}",
        capture=django_capture_on_commit_callbacks,
    )
    assert list(tmp_path.iterdir()) == []
    assert DataExport.objects.get().status == "expired"
    client.force_login(manager)
    assert client.get(f"/privacy/exports/{export.pk}/download.json").status_code == 410
    # How the customer asked, and the decision's note, named them: gone too.
    erasure = ErasureRequest.objects.get()
    assert EMAIL not in erasure.reason and NAME not in erasure.decision_note
    assert erasure.decided_by == make_other_manager


def test_asking_on_a_merged_away_record_erases_the_person(everything, client, django_capture_on_commit_callbacks):
    customer, agent, manager = everything
    old = CustomerFactory(name="Willy Zonderland", email="willy@voorbeeld.nl")
    client.force_login(agent)
    # The request is made on the old record; then the two are merged; then it is approved.
    ask(client, old)
    customer_merge(user=agent, survivor_id=customer.pk, merged_id=old.pk)
    client.force_login(manager)
    decide(client, ErasureRequest.objects.get(), "approve", capture=django_capture_on_commit_callbacks)
    after = every_text_in_the_database()
    assert not where(after, "Zonderland") and not where(after, "willy@voorbeeld.nl") and not where(after, EMAIL)
    assert Customer.objects.get(pk=customer.pk).erased_at and Customer.objects.get(pk=old.pk).erased_at
    # An erased record is merged with nothing.
    with pytest.raises(ValidationError, match="erased"):
        customer_merge(user=agent, survivor_id=customer.pk, merged_id=CustomerFactory().pk)


def test_a_restricted_customers_request_is_listed_for_members_only(everything, client_as, make_user):
    customer, agent, _manager = everything
    group = Group.objects.create(name="Personeelszaken")
    Customer.objects.filter(pk=customer.pk).update(restricted_to=group)
    ErasureRequest.objects.create(
        customer=customer, customer_number=customer.customer_number, reason="brief", requested_by=agent
    )
    outsider = client_as("manager")
    assert NAME not in outsider.get("/privacy/erasures/").content.decode()
    assert outsider.get(f"/privacy/customers/{customer.pk}/").status_code == 404
    member = make_user("manager")
    member.groups.add(group)
    outsider.force_login(member)
    assert NAME in outsider.get("/privacy/erasures/").content.decode()
