"""Credit approvals in the API: POST /api/v1/customers/{id}/credit-approvals and
GET /api/v1/credit-approvals/{id}, as an order system uses them (docs/api.md)."""

import pytest

from console.flags.approvals import credit_approval_decide
from console.flags.models import CreditApproval
from tests.factories import add_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_watch(customer):
    add_invoice(customer, number="INV-2026-101", amount="100.00", days_overdue=3)
    return customer


def ask(api, customer, body, **kwargs):
    return api.post(body, path=f"/api/v1/customers/{customer.pk}/credit-approvals", **kwargs)


def test_an_allowed_order_is_answered_200_without_a_request(api, customer):
    reply = ask(api, customer, {"amount": "20.00"})
    assert reply.status_code == 200
    body = reply.json()
    assert (body["decision"], body["credit_level"], body["approval"]) == ("allowed", "ok", None)
    assert body["reasons"][-1] == "EUR 20.00 is within the EUR 5,000.00 allowed without approval."
    assert not CreditApproval.objects.exists()


def test_an_order_needing_approval_is_asked_201_and_can_be_read_back(api, on_watch):
    reply = ask(api, on_watch, {"amount": "900.00", "currency": "EUR", "order_reference": "WS-2026-11873"})
    assert reply.status_code == 201
    body = reply.json()
    assert body["decision"] == "needs_approval" and body["credit_level"] == "watch"
    approval = body["approval"]
    assert approval["status"] == "pending" and approval["reason"] == "" and approval["decided_at"] is None
    assert approval["customer"] == {"id": on_watch.pk, "customer_number": "C-200001"}
    assert (approval["amount"], approval["currency"], approval["order_reference"]) == ("900.00", "EUR", "WS-2026-11873")
    assert approval["check"]["decision"] == "needs_approval"
    assert approval["url"] == f"/api/v1/credit-approvals/{approval['id']}"

    again = api.get(approval["url"])
    assert again.status_code == 200 and again.json() == approval


def test_a_refused_order_may_be_asked_too(api, customer):
    add_invoice(customer, number="INV-2026-881", amount="740.00", days_overdue=47)
    reply = ask(api, customer, {"amount": 150})
    assert reply.status_code == 201
    assert reply.json()["approval"]["check"]["decision"] == "refused"


def test_asking_again_for_the_same_order_answers_200_with_the_first_request(api, on_watch):
    first = ask(api, on_watch, {"amount": "900.00", "order_reference": "WS-1"}).json()["approval"]
    again = ask(api, on_watch, {"amount": "900.00", "order_reference": "WS-1"})
    assert again.status_code == 200 and again.json()["approval"]["id"] == first["id"]
    assert CreditApproval.objects.count() == 1


def test_the_decision_shows_on_the_request(api, on_watch, make_user):
    approval = ask(api, on_watch, {"amount": "900.00"}).json()["approval"]
    credit_approval_decide(approval_id=approval["id"], user=make_user("manager"), approve=True, reason="Known customer")
    body = api.get(approval["url"]).json()
    assert (body["status"], body["reason"]) == ("approved", "Known customer") and body["decided_at"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "amount"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "12.345"}, "amount"),
        ({"amount": True}, "amount"),
        ({"amount": "900", "currency": "USD"}, "currency"),
        ({"amount": "900", "webhook_url": "file:///etc/passwd"}, "webhook_url"),
        ({"amount": "900", "webhook_url": "ftp://example.nl/x"}, "webhook_url"),
        # Only hosts an admin allowed: a token must not make the console call into its own network.
        ({"amount": "900", "webhook_url": "http://10.0.0.5/admin"}, "webhook_url"),
        ({"amount": "900", "order_reference": "x" * 61}, "order_reference"),
    ],
)
def test_invalid_requests_are_422_and_create_nothing(api, on_watch, body, field):
    reply = ask(api, on_watch, body)
    assert reply.status_code == 422 and field in reply.json()["errors"]
    assert not CreditApproval.objects.exists()


def test_malformed_json_is_400_and_another_content_type_415(api, on_watch):
    assert ask(api, on_watch, None, raw="{not json").status_code == 400
    assert (
        ask(api, on_watch, None, raw="amount=900", content_type="application/x-www-form-urlencoded").status_code == 415
    )


def test_an_unknown_customer_is_404(api):
    assert api.post({"amount": "900"}, path="/api/v1/customers/999999/credit-approvals").status_code == 404


def test_asking_and_reading_need_the_read_scope(api, on_watch, issue_token):
    approval = ask(api, on_watch, {"amount": "900.00"}).json()["approval"]
    token = issue_token(scopes=["events:write"])
    assert ask(api, on_watch, {"amount": "900.00"}, token=token).status_code == 403
    assert api.get(approval["url"], token=token).status_code == 403
    assert api.get(approval["url"], token="kb_not-a-token").status_code == 401


def test_a_token_reads_only_the_requests_its_own_source_asked(api, on_watch, issue_token, client_as):
    approval = ask(api, on_watch, {"amount": "900.00"}).json()["approval"]
    finance = issue_token(source="finance", scopes=["customers:read"])
    reply = api.get(approval["url"], token=finance)
    assert reply.status_code == 404 and "errors" in reply.json()
    # A request an agent made in the console belongs to no source system.
    client = client_as("phone")
    client.post(f"/customers/{on_watch.pk}/credit-approvals/", {"amount": "950.00"}, headers={"HX-Request": "true"})
    console_made = CreditApproval.objects.get(requested_by_user=client.user)
    assert api.get(f"/api/v1/credit-approvals/{console_made.pk}").status_code == 404


def test_the_schema_documents_every_answer_of_the_new_endpoints(client):
    schema = client.get("/api/v1/schema", {"format": "json"}).json()
    asked = schema["paths"]["/api/v1/customers/{id}/credit-approvals"]["post"]["responses"]
    assert {"200", "201", "400", "401", "403", "404", "415", "422", "429"} <= set(asked)
    read = schema["paths"]["/api/v1/credit-approvals/{id}"]["get"]["responses"]
    assert {"200", "401", "403", "404"} <= set(read)
