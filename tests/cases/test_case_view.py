"""The case page: who may see and change it, what it shows, the forms behind it."""

import pytest
from django.urls import reverse

from console.cases.models import Case
from console.cases.services import case_link_entry
from console.timeline.models import TimelineEntry
from console.timeline.services import timeline_entry_record
from tests.factories import add_invoice

pytestmark = pytest.mark.django_db


def url(case, name="case"):
    return reverse(f"cases:{name}", args=[case.pk])


@pytest.fixture
def case(customer, open_case, make_user):
    case = open_case(customer, next_step="Bel de koerier over het ID-nummer")
    agent = make_user("phone")
    tweet = timeline_entry_record(
        customer_id=customer.pk, kind="interaction", channel="twitter", summary="Waar blijft mijn SIM?"
    )
    case_link_entry(case_id=case.pk, entry_id=tweet.pk, user=agent)
    add_invoice(customer, number="INV-2026-881", amount="740.00", days_overdue=3)
    invoice_entry = TimelineEntry.objects.get(kind="invoice")
    case_link_entry(case_id=case.pk, entry_id=invoice_entry.pk, user=agent)
    return case


def test_it_requires_a_login(client, case):
    response = client.get(url(case))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_gets_403(client_as, case):
    assert client_as(None).get(url(case)).status_code == 403


def test_an_unknown_case_is_404(client_as):
    assert client_as("phone").get("/cases/999999/").status_code == 404


def test_it_shows_the_case_and_its_linked_contacts(client_as, case):
    page = client_as("phone").get(url(case)).content.decode()
    assert "Tweede SIM-kaart niet geleverd" in page and case.reference in page
    assert "Bel de koerier over het ID-nummer" in page
    assert "Waar blijft mijn SIM?" in page and "INV-2026-881" in page
    assert "Jeroen de Vries" in page


def test_store_staff_see_the_case_without_invoice_details_and_can_still_add_a_note(client_as, case):
    client = client_as("store")
    page = client.get(url(case)).content.decode()
    assert "Waar blijft mijn SIM?" in page
    assert "INV-2026-881" not in page and "Invoice (details are for finance roles)" in page
    response = client.post(url(case, "note"), {"text": "Klant komt morgen langs in de winkel."})
    assert response.status_code == 302
    assert TimelineEntry.objects.filter(case=case, kind="note", actor_user=client.user).exists()


def test_the_page_costs_a_fixed_number_of_queries(client_as, case, customer, django_assert_max_num_queries):
    client = client_as("phone")
    for n in range(20):
        entry = timeline_entry_record(customer_id=customer.pk, kind="interaction", channel="email", summary=f"Mail {n}")
        case_link_entry(case_id=case.pk, entry_id=entry.pk, user=client.user)
    # Session, user, 2 permissions, case, entries, messages, owners, roles, callbacks.
    with django_assert_max_num_queries(10):
        assert client.get(url(case)).status_code == 200


def test_an_update_through_htmx_answers_with_the_changed_case(client_as, case, make_user):
    client = client_as("webcare")
    owner = make_user("phone", first_name="Daan", last_name="Jansen")
    response = client.post(
        url(case, "update"),
        {"owner": owner.pk, "team": "back_office", "status": "waiting", "due_at": "2026-12-01T09:30", "next_step": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="case-head" hx-swap-oob="true"' in page and "Case updated." in page
    assert "Daan Jansen" in page and "Back office" in page and "Waiting on customer" in page
    case.refresh_from_db()
    assert (case.owner, case.team, case.status, case.next_step) == (owner, "back_office", "waiting", "")


def test_a_bad_update_keeps_the_form_with_an_error(client_as, case):
    response = client_as("phone").post(
        url(case, "update"), {"team": "marketing", "status": "open"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_writes_need_a_post(client_as, case):
    assert client_as("phone").get(url(case, "note")).status_code == 405


def test_a_complaint_is_closed_only_with_the_answer(client_as, customer, open_case):
    complaint = open_case(customer, kind="complaint", channel="post")
    client = client_as("phone")
    page = client.get(url(complaint)).content.decode()
    assert "Close complaint" in page
    # The status list offers no way around the close form.
    assert 'value="closed"' not in page.split('id="update-head"')[1]
    refused = client.post(url(complaint, "close-complaint"), {"resolution": "", "channel": "email"})
    assert refused.status_code == 422 and "This field is required" in refused.content.decode()
    assert Case.objects.get(pk=complaint.pk).status == "open"
    done = client.post(
        url(complaint, "close-complaint"), {"resolution": "Tweede SIM komt per post.", "channel": "email"}
    )
    assert done.status_code == 302
    assert Case.objects.get(pk=complaint.pk).status == "closed"
    page = client.get(url(complaint)).content.decode()
    assert "Answer to complaint" in page and "Tweede SIM komt per post." in page and 'id="close-head"' not in page


def test_customer_text_is_shown_escaped(client_as, customer, open_case):
    case = open_case(customer, title="<script>alert(1)</script>")
    page = client_as("phone").get(url(case)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_reopening_a_resolved_case_from_the_form_clears_its_resolution(client_as, customer, open_case):
    case = open_case(customer)
    client = client_as("phone")
    form = {"owner": "", "team": "phone", "status": "resolved", "due_at": "", "next_step": ""}
    client.post(url(case, "update"), {**form, "resolution": "Nieuwe SIM verstuurd."})
    page = client.get(url(case)).content.decode()
    assert "Resolution" in page and "Nieuwe SIM verstuurd." in page

    # The form shows the resolution; saving it with the status back to open reopens the case.
    response = client.post(url(case, "update"), {**form, "status": "open", "resolution": "Nieuwe SIM verstuurd."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("open", "")
