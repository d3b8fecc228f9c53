"""The audit trail as CSV (/privacy/audit.csv): the rows the page's filters select, all of them,
streamed, safe to open in a spreadsheet, and the export itself audited."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from console.accounts.models import AuditEvent
from console.accounts.services import audit_event_record
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
URL = reverse("privacy:audit-export")


@pytest.fixture
def manager(client_as):
    return client_as("manager")


def rows(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_has_a_header_and_every_selected_row_newest_first(manager, make_user, customer):
    lotte = make_user("phone", first_name="Lotte", last_name="Smit")
    audit_event_record(actor=lotte, action=AuditEvent.Action.VIEWED_CUSTOMER, customer=customer, detail="picture")
    audit_event_record(actor=None, action=AuditEvent.Action.API_READ, customer=customer, token="webshop kb_AbCdEfG")
    response = manager.get(URL, {"customer": "C-200001"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    api, viewed = rows(response)
    assert (api["api_token"], api["action"], api["action_label"], api["user"]) == (
        "webshop kb_AbCdEfG",
        "api_read",
        "Read through the API",
        "",
    )
    assert (viewed["user"], viewed["user_name"], viewed["customer_number"], viewed["customer_name"]) == (
        lotte.username,
        "Lotte Smit",
        "C-200001",
        "Jeroen de Vries",
    )
    assert viewed["detail"] == "picture" and viewed["when"].startswith("20")


def test_the_filters_select_the_rows_as_on_the_page(manager, make_user, customer):
    agent = make_user("phone")
    audit_event_record(actor=agent, action=AuditEvent.Action.VIEWED_CUSTOMER, customer=customer, detail="mine")
    audit_event_record(actor=make_user("phone"), action=AuditEvent.Action.VIEWED_CUSTOMER, detail="someone else's")
    assert [row["detail"] for row in rows(manager.get(URL, {"user": agent.pk}))] == ["mine"]


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://evil")', "+31 6 1234", "-2+3", "@SUM(A1)"])
def test_a_cell_that_would_be_a_formula_is_written_as_text(manager, make_user, formula):
    evil = CustomerFactory(name=formula, customer_number="C-300001")
    audit_event_record(
        actor=make_user("phone"), action=AuditEvent.Action.VIEWED_CUSTOMER, customer=evil, detail=formula
    )
    (row,) = rows(manager.get(URL, {"action": "viewed_customer"}))
    assert row["customer_name"] == row["detail"] == f"'{formula}"


def test_exporting_is_audited_with_its_filters(manager, customer):
    rows(manager.get(URL, {"customer": "C-200001", "date_from": "2026-11-01"}))
    (row,) = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED_AUDIT_LOG)
    assert row.actor == manager.user and row.customer == customer
    assert row.detail == "customer=C-200001 from=2026-11-01"


def test_bad_filters_are_a_400_with_the_reason_and_export_nothing(manager):
    response = manager.get(URL, {"date_from": "2026-13-01"})
    assert response.status_code == 400
    assert "Enter a day as YYYY-MM-DD" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED_AUDIT_LOG).exists()


@pytest.mark.parametrize("role", ["webcare", "phone", "store"])
def test_agents_are_refused(client_as, role):
    assert client_as(role).get(URL).status_code == 403


def test_the_page_links_to_the_export_with_its_filters(manager, customer):
    page = manager.get(reverse("privacy:audit"), {"customer": "C-200001", "action": "api_read"}).content.decode()
    assert f'href="{URL}?customer=C-200001&amp;action=api_read"' in page
