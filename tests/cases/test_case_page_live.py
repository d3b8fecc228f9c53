"""The case page is live: it listens to its customer's stream, keeps the entries of this case,
and fetches the case afresh (tests/browser/test_case_live.py drives it in a browser)."""

import re

import pytest
from django.urls import reverse

from console.cases.services import case_note_add, case_update
from console.picture.fragments import entry_message
from console.timeline.models import TimelineEntry
from console.timeline.services import timeline_entry_record

pytestmark = pytest.mark.django_db


def live_url(case, side=False):
    return reverse("cases:case-live", args=[case.pk]) + ("?side=1" if side else "")


def oob_ids(html: str) -> list[str]:
    return re.findall(r'id="([\w-]+)"[^>]*hx-swap-oob="true"', html)


def test_the_page_listens_to_its_customer_s_stream_from_where_it_stands(client_as, customer, open_case):
    case = open_case(customer)
    timeline_entry_record(customer_id=customer.pk, kind="interaction", channel="email", summary="Iets anders")
    customer.refresh_from_db()
    page = client_as("phone").get(case.get_absolute_url()).content.decode()
    assert f'ws-connect="/ws/console/?customer={customer.pk}"' in page
    assert f'id="timeline-entries" data-case="{case.pk}" data-last-seq="{customer.last_seq}"' in page
    assert 'id="live-state"' in page and f'data-url="{live_url(case)}"' in page


def test_a_push_says_which_case_an_entry_belongs_to(customer, make_user, open_case):
    case, other = open_case(customer), open_case(customer, title="Andere zaak")
    note, _ = case_note_add(case_id=case.pk, user=make_user("phone"), text="Koerier gebeld.")
    elsewhere, _ = case_note_add(case_id=other.pk, user=make_user("phone"), text="Iets anders.")
    loose = timeline_entry_record(customer_id=customer.pk, kind="interaction", channel="email", summary="Los")
    assert f'data-case="{case.pk}"' in entry_message(note)["entry"]["finance"]
    assert f'data-case="{other.pk}"' in entry_message(elsewhere)["entry"]["finance"]
    assert 'data-case=""' in entry_message(loose)["entry"]["store"]


def test_the_refresh_brings_the_header_and_contacts_and_the_forms_only_when_asked(
    client_as, customer, make_user, open_case
):
    case = open_case(customer, next_step="Bel de koerier")
    client = client_as("webcare")
    colleague = make_user("phone")
    case_update(case_id=case.pk, user=colleague, next_step="Wacht op de koerier")
    case_note_add(case_id=case.pk, user=colleague, text="Koerier komt morgen.")

    html = client.get(live_url(case)).content.decode()
    assert oob_ids(html) == ["case-head", "case-count", "case-entries"]
    assert "Wacht op de koerier" in html and "Koerier komt morgen." in html
    # The note being typed is never part of it.
    assert 'name="text"' not in html

    html = client.get(live_url(case, side=True)).content.decode()
    assert oob_ids(html) == ["case-head", "case-count", "case-entries", "case-side"]
    assert 'value="Wacht op de koerier"' in html


def test_a_contact_linked_from_the_picture_comes_along(client_as, customer, make_user, open_case):
    from console.cases.services import case_link_entry

    case = open_case(customer)
    tweet = timeline_entry_record(
        customer_id=customer.pk, kind="interaction", channel="twitter", summary="Waar is hij?"
    )
    case_link_entry(case_id=case.pk, entry_id=tweet.pk, user=make_user("webcare"))
    html = client_as("phone").get(live_url(case)).content.decode()
    assert f'id="entry-{tweet.seq}"' in html and "Waar is hij?" in html


def test_the_refresh_checks_who_asks(client, client_as, customer, open_case):
    case = open_case(customer)
    assert client.get(live_url(case)).status_code == 302
    assert client_as(None).get(live_url(case)).status_code == 403
    assert client_as("store").get("/cases/999999/live/").status_code == 404


def test_store_staff_get_linked_invoices_without_their_details(client_as, customer, make_user, open_case):
    from console.cases.services import case_link_entry
    from tests.factories import add_invoice

    case = open_case(customer)
    add_invoice(customer, number="INV-2026-881", amount="740.00", days_overdue=3)
    case_link_entry(case_id=case.pk, entry_id=TimelineEntry.objects.get(kind="invoice").pk, user=make_user("phone"))
    html = client_as("store").get(live_url(case)).content.decode()
    assert "INV-2026-881" not in html and "Invoice (details are for finance roles)" in html


def test_the_refresh_costs_a_fixed_number_of_queries(
    client_as, customer, make_user, open_case, django_assert_max_num_queries
):
    case = open_case(customer)
    client = client_as("phone")
    for n in range(20):
        case_note_add(case_id=case.pk, user=client.user, text=f"Notitie {n}")
    with django_assert_max_num_queries(10):
        assert client.get(live_url(case, side=True)).status_code == 200
