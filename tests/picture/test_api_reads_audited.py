"""Every answered read through the API leaves one row in the audit trail, with the token that
read, the customer it was about and what was asked (docs/privacy.md, "The audit trail")."""

import pytest

from console.accounts.models import AuditEvent
from console.ingest.models import ApiToken
from tests.factories import CustomerFactory, add_invoice

pytestmark = pytest.mark.django_db


def reads():
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.API_READ).order_by("id"))


def the_read():
    (row,) = reads()
    return row


def token_name(source="webshop"):
    token = ApiToken.objects.filter(source=source).latest("created_at")
    return f"{source} {token.token_prefix}"


def test_reading_a_customer_is_audited_with_the_token(api, customer):
    assert api.get(f"/api/v1/customers/{customer.pk}").status_code == 200
    row = the_read()
    assert (row.customer, row.actor, row.token) == (customer, None, token_name())
    assert row.token.startswith("webshop kb_") and row.detail == "customer profile"
    assert row.ip_address == "127.0.0.1"


def test_reading_the_timeline_is_audited_with_its_cursor(api, customer):
    assert api.get(f"/api/v1/customers/{customer.pk}/timeline", after=0, limit=5).status_code == 200
    row = the_read()
    assert row.customer == customer
    assert row.detail.startswith("timeline after=0 limit=5: ")


def test_a_search_keeps_what_was_found_not_the_words_searched(api, customer):
    CustomerFactory(name="Anna de Vries", customer_number="C-300001")
    assert len(api.get("/api/v1/customers", q="06 12345678").json()) == 1
    assert len(api.get("/api/v1/customers", q="de Vries").json()) == 2
    one, two = reads()
    assert one.customer == customer and one.detail == "customer search: 1 found (C-200001)"
    assert two.customer is None and two.detail.startswith("customer search: 2 found (")
    assert "C-300001" in two.detail
    assert not [row for row in (one, two) if "12345678" in row.detail or "Vries" in row.detail]


def test_a_credit_check_is_audited_with_its_answer(api, customer):
    assert api.get(f"/api/v1/customers/{customer.pk}/credit-check", amount="10.00").status_code == 200
    row = the_read()
    assert row.customer == customer and row.detail == "credit check 10.00 EUR: allowed"


def test_credit_approvals_asked_and_read_back_are_audited(api, customer):
    add_invoice(customer, number="INV-2026-101", amount="100.00", days_overdue=3)
    asked = api.post({"amount": "900.00"}, path=f"/api/v1/customers/{customer.pk}/credit-approvals")
    approval = asked.json()["approval"]
    assert api.get(approval["url"]).status_code == 200
    ask, read_back = reads()
    assert ask.customer == customer
    assert ask.detail == f"credit approval asked for 900.00 EUR: approval {approval['id']} pending"
    assert read_back.customer == customer and read_back.detail == f"credit approval {approval['id']}: pending"


def test_the_conversations_list_is_audited_with_its_filters(api, issue_token):
    planner = issue_token(source="wfm", scopes=["conversations:read"])
    assert api.get("/api/v1/conversations", token=planner, status="awaiting_reply", limit=10).status_code == 200
    row = the_read()
    assert row.token == token_name("wfm") and row.customer is None
    assert row.detail == "conversations status=awaiting_reply limit=10: 0 listed"


def test_refused_and_failed_reads_leave_no_row(api, customer, issue_token):
    api.get(f"/api/v1/customers/{customer.pk}", token="kb_made_up_token_000000000000000000")
    api.get(f"/api/v1/customers/{customer.pk}", token=issue_token(scopes=["events:write"]))
    api.get("/api/v1/customers/999999")
    api.get(f"/api/v1/customers/{customer.pk}", typo="1")
    assert reads() == []


def test_one_row_per_request(api, customer):
    for _ in range(3):
        api.get(f"/api/v1/customers/{customer.pk}")
    assert len(reads()) == 3
