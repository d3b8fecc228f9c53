"""Restricted customers in the API (docs/api.md, docs/privacy.md): a token without the scope
``customers:restricted`` gets the same 404 as for an unknown customer on the customer's profile,
timeline, credit check and credit approvals, and finds it neither in the customer search nor in
the conversations list; a token with the scope reads it as any customer. Source systems still
send events about it, and the answer says no more than it did."""

import pytest

from tests.conversations.conftest import sla_rules_fresh, tweet  # noqa: F401 - autouse: no answer rules cached by another test
from tests.factories import CustomerFactory, add_invoice, add_order
from tests.ingest.events import interaction

pytestmark = pytest.mark.django_db

READ = ["customers:read", "events:write"]
WITH_SCOPE = [*READ, "customers:restricted"]
GEWOON = {"network": "twitter", "value": "@gewoon"}


@pytest.fixture
def employee(db, restrict):
    customer = CustomerFactory(
        name="Petra Medewerker",
        customer_number="C-700001",
        email="petra@example.nl",
        handles=[("twitter", "@sjansen")],
    )
    add_order(customer, number="WS-PZ-1")
    restrict(customer)
    return customer


def _paths(customer) -> list[tuple[str, str]]:
    base = f"/api/v1/customers/{customer.pk}"
    return [("GET", base), ("GET", f"{base}/timeline"), ("GET", f"{base}/credit-check?amount=10.00")]


def test_without_the_scope_the_customer_answers_as_an_unknown_one(api, issue_token, employee):
    token = issue_token(scopes=READ)
    unknown = api.get("/api/v1/customers/999999", token=token)
    for _method, path in _paths(employee):
        response = api.get(path, token=token)
        assert response.status_code == 404, path
        if "/" not in path.removeprefix(f"/api/v1/customers/{employee.pk}"):
            assert response.json() == unknown.json()
    asked = api.post({"amount": "250000.00"}, token=token, path=f"/api/v1/customers/{employee.pk}/credit-approvals")
    assert asked.status_code == 404


def test_with_the_scope_the_customer_is_read_as_any(api, issue_token, employee):
    token = issue_token(scopes=WITH_SCOPE)
    for _method, path in _paths(employee):
        assert api.get(path, token=token).status_code == 200, path
    assert api.get(f"/api/v1/customers/{employee.pk}", token=token).json()["customer_number"] == "C-700001"


@pytest.mark.parametrize("typed", ["Petra Medewerker", "C-700001", "petra@example.nl", "WS-PZ-1"])
def test_the_search_finds_it_only_with_the_scope(api, issue_token, employee, typed):
    without = api.get("/api/v1/customers", token=issue_token(scopes=READ), q=typed)
    assert without.status_code == 200 and without.json() == []
    found = api.get("/api/v1/customers", token=issue_token(scopes=WITH_SCOPE), q=typed).json()
    assert [c["customer_number"] for c in found] == ["C-700001"]


def test_the_conversations_list_leaves_its_conversations_out_without_the_scope(api, issue_token, employee):
    other = CustomerFactory(name="Gewone Klant", handles=[("twitter", "@gewoon")])
    api.post(tweet("Vraag van Petra"))
    api.post(interaction(summary="Vraag van een klant", thread="t-2", customer={"handle": GEWOON}))
    without = api.get("/api/v1/conversations", token=issue_token(scopes=["conversations:read"])).json()
    assert [c["customer"]["customer_number"] for c in without["results"]] == [other.customer_number]
    scoped = issue_token(scopes=["conversations:read", "customers:restricted"])
    numbers = {
        c["customer"]["customer_number"] for c in api.get("/api/v1/conversations", token=scoped).json()["results"]
    }
    assert numbers == {other.customer_number, "C-700001"}


def test_events_about_it_are_still_taken_and_say_no_more(api, issue_token, employee):
    unrestricted = CustomerFactory(name="Gewone Klant", email="gewoon@example.nl")
    token = issue_token(scopes=READ)
    restricted_answer = api.post(tweet("Nog een vraag"), token=token)
    assert restricted_answer.status_code == 201
    assert employee.timeline.filter(summary="Nog een vraag").exists()
    plain = api.post(
        interaction(summary="Ook een vraag", thread="t-9", customer={"email": "gewoon@example.nl"}), token=token
    )
    assert sorted(restricted_answer.json()) == sorted(plain.json())
    assert unrestricted.timeline.filter(summary="Ook een vraag").exists()


def test_a_credit_approval_about_it_is_none_without_the_scope(api, issue_token, restrict):
    customer = CustomerFactory(name="Petra Medewerker")
    add_invoice(customer, number="INV-PZ", amount="2500.00", days_overdue=35)
    asked = api.post(
        {"amount": "900.00", "order_reference": "WS-PZ-9"},
        token=issue_token(scopes=READ),
        path=f"/api/v1/customers/{customer.pk}/credit-approvals",
    )
    assert asked.status_code == 201, asked.content
    restrict(customer)
    path = f"/api/v1/credit-approvals/{asked.json()['approval']['id']}"
    assert api.get(path, token=issue_token(scopes=READ)).status_code == 404
    assert api.get(path, token=issue_token(scopes=WITH_SCOPE)).status_code == 200
