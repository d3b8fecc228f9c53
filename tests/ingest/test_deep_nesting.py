"""Bodies nested deeper than any parser or walk can follow answer 4xx, and a batch answers for
every event even when one of them is poison (docs/api.md, "Depth")."""

import json

import pytest

from console.ingest import handlers
from console.timeline.models import TimelineEntry
from tests.ingest.events import interaction

pytestmark = pytest.mark.django_db


def nested(levels: int):
    """``levels`` objects inside one another."""
    value = 1
    for _ in range(levels):
        value = {"x": value}
    return value


def deep_event_text(levels: int) -> str:
    """An interaction whose data carries ``levels`` more objects, as JSON text (too deep for
    Python to build with json.dumps)."""
    text = json.dumps(interaction(extra="HERE"))
    return text.replace('"HERE"', '{"x": ' * levels + "1" + "}" * levels)


def test_an_event_32_levels_deep_is_taken(api, customer):
    # The event is level 1, data level 2, and 30 more objects inside it.
    assert api.post(interaction(extra=nested(30))).status_code == 201


def test_an_event_33_levels_deep_is_422(api, customer):
    response = api.post(interaction(extra=nested(31)))
    assert response.status_code == 422
    assert response.json() == {
        "errors": {"data": ["Nested more than 32 levels deep (objects and arrays, the event itself counted)."]}
    }


@pytest.mark.parametrize("levels", [700, 900, 8_000])
def test_a_deeply_nested_event_is_422_not_500(api, customer, levels):
    response = api.post(None, raw=deep_event_text(levels))
    assert response.status_code == 422, response.content[:200]
    assert "32 levels" in response.json()["errors"]["data"][0]
    assert not TimelineEntry.objects.exists()


def test_a_body_of_brackets_only_is_a_json_error(api, customer):
    response = api.post(None, raw="[" * 30_000 + "]" * 30_000)
    assert response.status_code in (400, 422)
    assert response.json()["errors"]["body"]


@pytest.mark.parametrize("levels", [900, 20_000])
def test_a_poison_event_in_the_middle_of_a_batch_costs_only_itself(api, customer, levels):
    events = [json.dumps(interaction()) for _ in range(500)]
    events[250] = deep_event_text(levels)
    response = api.post(None, raw='{"events": [' + ",".join(events) + "]}", path="/api/v1/events/batch")
    assert response.status_code == 207, response.content[:200]
    statuses = [r["status"] for r in response.json()["results"]]
    assert statuses == [201] * 250 + [422] + [201] * 249
    assert TimelineEntry.objects.count() == 499


def test_a_fault_in_one_batch_event_is_answered_for_that_event_alone(api, customer, monkeypatch):
    def fault(**kwargs):
        raise RuntimeError("a bug of ours")

    monkeypatch.setitem(handlers.HANDLERS, "call.ended", fault)
    call_ended = {"call_id": "c-1", "duration_s": 60}
    events = [interaction(), {**interaction(), "type": "call.ended", "data": call_ended}, interaction()]
    response = api.post({"events": events}, path="/api/v1/events/batch")
    assert [r["status"] for r in response.json()["results"]] == [201, 500, 201]
    assert "nothing of it was stored" in response.json()["results"][1]["body"]["errors"]["body"][0]
    assert TimelineEntry.objects.count() == 2


def test_a_credit_approval_body_too_deep_to_parse_is_400(api, customer):
    response = api.post(
        None,
        raw='{"amount": ' + "[" * 30_000 + "]" * 30_000 + "}",
        path=f"/api/v1/customers/{customer.pk}/credit-approvals",
    )
    assert response.status_code == 400
    assert "nested" in response.json()["errors"]["body"][0]
