"""Opening a case from the customer's picture, from scratch or from a contact on the timeline,
and linking a contact to a case."""

import pytest
from django.urls import reverse

from console.cases.models import Case
from console.timeline.models import TimelineEntry
from console.timeline.services import timeline_entry_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def tweet(customer):
    return timeline_entry_record(
        customer_id=customer.pk, kind="interaction", channel="twitter", summary="Waar is mijn SIM?"
    )


def test_the_picture_offers_to_open_a_case_and_to_link_contacts(client_as, customer, tweet):
    page = client_as("store").get(customer.get_absolute_url()).content.decode()
    assert "Open case…" in page and reverse("cases:open", args=[customer.pk]) in page
    assert reverse("cases:link-entry", args=[tweet.pk]) in page and "Link to case" in page


def test_an_agent_opens_a_case_from_scratch(client_as, customer):
    client = client_as("webcare")
    response = client.post(
        reverse("cases:open", args=[customer.pk]),
        {"title": "Wil abonnement opzeggen", "kind": "question", "channel": "chat", "team": "webcare"},
    )
    case = Case.objects.get(customer=customer)
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert (case.title, case.team, case.channel) == ("Wil abonnement opzeggen", "webcare", "chat")


def test_htmx_opening_redirects_the_page_and_errors_stay_in_the_form(client_as, customer):
    client = client_as("webcare")
    done = client.post(
        reverse("cases:open", args=[customer.pk]),
        {"title": "Klacht", "kind": "complaint", "channel": "twitter", "team": "webcare"},
        headers={"HX-Request": "true"},
    )
    assert done["HX-Redirect"] == Case.objects.get().get_absolute_url()
    refused = client.post(
        reverse("cases:open", args=[customer.pk]), {"title": "", "kind": "question"}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 422 and 'class="case-open-form"' in refused.content.decode()


def test_a_contact_is_linked_from_the_timeline(client_as, customer, tweet, open_case):
    case = open_case(customer)
    client = client_as("phone")
    box = client.get(reverse("cases:link-entry", args=[tweet.pk]), headers={"HX-Request": "true"}).content.decode()
    assert case.reference in box and "Open a new case from this contact" in box
    response = client.post(
        reverse("cases:link-entry", args=[tweet.pk]), {"case": case.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert (
        f'id="entry-{tweet.seq}"' in response.content.decode() and f"Case {case.reference}" in response.content.decode()
    )
    assert TimelineEntry.objects.get(pk=tweet.pk).case == case


def test_a_contact_cannot_be_linked_to_another_customers_case(client_as, customer, tweet, open_case):
    from tests.factories import CustomerFactory

    foreign = open_case(CustomerFactory())
    response = client_as("phone").post(reverse("cases:link-entry", args=[tweet.pk]), {"case": foreign.pk})
    assert response.status_code == 422
    assert TimelineEntry.objects.get(pk=tweet.pk).case is None


def test_a_case_is_opened_from_a_contact(client_as, customer, tweet):
    response = client_as("webcare").post(
        reverse("cases:open-from-entry", args=[tweet.pk]),
        {"title": "Waar is mijn SIM?", "kind": "complaint", "channel": "twitter", "team": "webcare"},
    )
    case = Case.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert TimelineEntry.objects.get(pk=tweet.pk).case == case and case.kind == "complaint"


def test_store_staff_linking_an_invoice_entry_do_not_see_its_details(client_as, customer, open_case):
    from tests.factories import add_invoice

    add_invoice(customer, number="INV-2026-881", amount="740.00", days_overdue=3)
    invoice_entry = TimelineEntry.objects.get(kind="invoice")
    open_case(customer)
    page = client_as("store").get(reverse("cases:link-entry", args=[invoice_entry.pk])).content.decode()
    assert "Invoice (details are for finance roles)" in page and "INV-2026-881" not in page
