"""What the served OpenAPI document promises is what the API does (the disagreements the fuzzer
found: docs/api.md, "Reading" and "Events")."""

import pytest

from tests.ingest.events import interaction, invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return client.get("/api/v1/schema", {"format": "json"}).json()


def parameter(schema, path, name):
    return next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name)["schema"]


def test_an_entry_without_case_invoice_or_order_says_null_and_the_schema_allows_it(api, customer, schema):
    api.post(interaction())
    entry = api.get(f"/api/v1/customers/{customer.pk}/timeline").json()[0]
    assert (entry["case_ref"], entry["invoice_number"], entry["order_number"]) == (None, None, None)
    fields = schema["components"]["schemas"]["EntryOut"]["properties"]
    assert all(fields[name].get("nullable") for name in ("case_ref", "invoice_number", "order_number"))


@pytest.mark.parametrize(("name", "value"), [("limit", "1001"), ("limit", "0"), ("after", str(2**62 + 1))])
def test_a_cursor_outside_the_documented_range_is_422(api, customer, schema, name, value):
    response = api.get(f"/api/v1/customers/{customer.pk}/timeline", **{name: value})
    assert response.status_code == 422
    assert response.json()["errors"][name] == [
        f"Must be a whole number from {'1 to 1000' if name == 'limit' else f'0 to {2**62}'}."
    ]
    documented = parameter(schema, "/api/v1/customers/{id}/timeline", name)
    assert not documented["minimum"] <= int(value) <= documented["maximum"]


def test_a_limit_of_1000_is_taken(api, customer):
    assert api.get(f"/api/v1/customers/{customer.pk}/timeline", limit="1000").status_code == 200


def test_a_cursor_of_5000_digits_is_422_not_500(api, customer):
    assert api.get(f"/api/v1/customers/{customer.pk}/timeline", after="9" * 5000).status_code == 422


def test_the_schema_refuses_the_blank_search_text_the_api_refuses(api, schema):
    documented = parameter(schema, "/api/v1/customers", "q")
    assert documented["minLength"] == 1 and documented["pattern"] == r"\S"
    assert api.get("/api/v1/customers", q="").status_code == 422


@pytest.mark.parametrize("amount", ["1e5", "1E2", "+5.00", " 5.00", "5.", ".50", "5.001", "0x10"])
def test_an_amount_not_written_as_digits_is_422(api, customer, amount):
    response = api.post(invoice(amount=amount))
    assert response.status_code == 422
    assert "data.amount" in response.json()["errors"]


def test_a_credit_approval_for_1e5_is_422(api, customer, issue_token):
    response = api.post({"amount": "1e5"}, path=f"/api/v1/customers/{customer.pk}/credit-approvals")
    assert response.status_code == 422
    assert "digits" in response.json()["errors"]["amount"][0]


def test_the_schema_gives_amounts_the_pattern_the_api_checks(schema):
    amount = schema["components"]["schemas"]["ApprovalInRequest"]["properties"]["amount"]
    assert amount["oneOf"][0]["pattern"] == r"^[0-9]{1,10}(\.[0-9]{1,2})?$"
    assert amount["oneOf"][1] == {"type": "number", "minimum": 0, "maximum": 9_999_999_999.99}


def test_a_batch_item_that_is_null_is_answered_on_its_own(api, customer):
    response = api.post({"events": [interaction(), None]}, path="/api/v1/events/batch")
    assert [r["status"] for r in response.json()["results"]] == [201, 400]


def test_the_schema_documents_the_date_window_and_the_depth(schema):
    event = schema["components"]["schemas"]["EventRequest"]["properties"]
    assert "1900-01-01T00:00:00Z" in event["occurred_at"]["description"]
    assert "2199-12-31" in event["data"]["description"] and "32 levels" in event["data"]["description"]
