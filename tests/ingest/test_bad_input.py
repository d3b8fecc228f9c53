"""Everything a client can get wrong gets the documented 4xx, a message to act on, and nothing stored."""

import json

import pytest

from console.customers.models import Customer
from console.ingest.models import InboundEvent
from console.timeline.models import TimelineEntry
from tests.ingest.events import event, interaction, invoice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_stored(customer):
    customers = Customer.objects.count()
    yield
    assert InboundEvent.objects.count() == 0
    assert TimelineEntry.objects.count() == 0
    assert Customer.objects.count() == customers


def errors(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["errors"] and all(isinstance(m, list) and m[0] for m in body["errors"].values())
    return body["errors"]


def test_malformed_json_is_400(api):
    assert "not valid JSON" in errors(api.post(None, raw='{"id": "x", '), 400)["body"][0]


def test_json_that_is_not_an_object_is_400(api):
    assert errors(api.post(None, raw="[1, 2]"), 400) == {"body": ["The body must be a JSON object."]}


def test_the_wrong_content_type_is_415(api):
    body = errors(api.post(None, raw="id=1&type=x", content_type="application/x-www-form-urlencoded"), 415)
    assert "application/json" in body["body"][0]


def test_a_body_over_64_kib_is_413(api):
    assert "64 KiB" in errors(api.post(interaction(body="x" * 70_000)), 413)["body"][0]


def test_missing_fields_are_named(api):
    found = errors(api.post({"type": "interaction.recorded"}), 422)
    assert set(found) >= {"id", "occurred_at", "customer", "data"}


def test_wrong_typed_fields_are_named_by_path(api):
    bad = interaction()
    bad["data"]["direction"] = 42
    bad["customer"] = "C-200001"
    found = errors(api.post(bad), 422)
    assert "data.direction" in found or "customer" in found
    assert "customer" in found


def test_an_unknown_event_type_is_422_and_lists_the_known_ones(api):
    message = errors(api.post(event("parcel.teleported", {})), 422)["type"][0]
    assert "Unknown event type 'parcel.teleported'" in message and "mail.returned" in message


def test_a_date_without_a_time_zone_is_422(api):
    assert "time zone" in errors(api.post(interaction(occurred_at="2026-11-24T09:15:00")), 422)["occurred_at"][0]


def test_a_negative_amount_is_422(api):
    assert "data.amount" in errors(api.post(invoice(amount="-5.00")), 422)


def test_an_unknown_currency_is_422(api):
    body = invoice()
    body["data"]["currency"] = "XXX"
    assert "data.currency" in errors(api.post(body), 422)


def test_a_phone_number_that_cannot_be_parsed_is_422(api):
    found = errors(api.post(interaction(customer={"phone": "06-1234"})), 422)
    assert "not a valid phone number" in found["customer.phone"][0]


def test_a_customer_block_without_identifier_is_422(api):
    found = errors(api.post(interaction(customer={"name": "Jan"})), 422)
    assert "at least one identifier" in found["customer"][0]


def test_a_10000_character_summary_is_422(api):
    assert "500" in errors(api.post(interaction(summary="x" * 10_000)), 422)["data.summary"][0]


def test_text_with_a_nul_byte_is_422(api):
    assert "NUL" in errors(api.post(interaction(summary="hallo\x00daar")), 422)["data.summary"][0]


def test_a_nul_in_a_field_name_is_422(api):
    body = interaction()
    body["data"]["ex\x00tra"] = 1
    assert "NUL" in errors(api.post(body), 422)["data"][0]


def test_a_lone_surrogate_is_422(api):
    raw = json.dumps(interaction(summary="x")).replace('"x"', '"\\ud800"')
    assert "surrogate" in errors(api.post(None, raw=raw), 422)["data.summary"][0]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_400(api, constant):
    raw = json.dumps(invoice()).replace('"740.00"', constant)
    assert "not a JSON number" in errors(api.post(None, raw=raw), 400)["body"][0]


def test_a_case_ref_with_odd_digits_is_422(api):
    assert "data.case_ref" in errors(api.post(interaction(case_ref="K-\u00b2")), 422)


def test_invalid_utf8_is_400(api):
    raw = json.dumps(interaction()).encode().replace(b"Waar", b"W\xffar")
    assert "UTF-8" in errors(api.post(None, raw=raw), 400)["body"][0]


def test_a_token_for_another_scope_is_403(api, issue_token):
    token = issue_token(source="postroom", scopes=["events:mail.returned"])
    assert "may not send interaction.recorded" in errors(api.post(interaction(), token=token), 403)["type"][0]


def test_no_token_is_401(client):
    response = client.post("/api/v1/events", data=json.dumps(interaction()), content_type="application/json")
    assert errors(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_401(api):
    assert errors(api.post(interaction(), token="kb_not-a-real-token"), 401) == {"token": ["Unknown or revoked token."]}


def test_a_revoked_token_is_401(api):
    from console.ingest.models import ApiToken

    ApiToken.objects.get().revoke()
    assert errors(api.post(interaction()), 401)


def test_an_unknown_customer_without_create_scope_is_422(api):
    found = errors(api.post(interaction(customer={"email": "nieuw@example.nl"})), 422)
    assert "customers:create" in found["customer"][0]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing-here", "/api/v1/credit-approvals/-1", "/api/v1/credit-approvals/%0A", "/api/v1/customers/1%0A2"],
)
def test_a_path_that_is_no_endpoint_answers_json_404(client, path):
    """Also a path with a newline in it (the fuzzer found one that fell through to the HTML page)."""
    assert errors(client.get(path), 404)["path"][0].startswith("No API endpoint at /api/v1/")
