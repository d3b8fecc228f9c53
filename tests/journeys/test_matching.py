"""The matcher an admin writes for a step or a failure: refused with a clear reason when wrong."""

import pytest

from console.journeys.matching import Seen, describe, matcher_problems, matches


@pytest.mark.parametrize(
    ("event_type", "conditions", "problem"),
    [
        ("order.shipped", {}, "'order.shipped' is not an event type."),
        ("order.updated", {"colour": "red"}, "'colour' is not a condition of order.updated events"),
        ("order.updated", {"line_status": "lost"}, "'line_status' cannot be lost; it is one of: pending, shipped"),
        ("order.updated", {"every_line": "yes", "line_status": "delivered"}, "'every_line' must be true or false."),
        ("order.updated", {"every_line": True}, "'every_line' needs a 'line_status'"),
        ("identity.checked", {"result": []}, "'result' must be a text or a list of texts."),
        ("call.started", {"agent": "daan"}, "call.started events; they take: none (use {})."),
        ("identity.checked", ["valid"], "Write the conditions as a JSON object"),
    ],
)
def test_a_bad_matcher_is_refused_with_the_reason(event_type, conditions, problem):
    problems = matcher_problems(event_type, conditions)
    assert any(problem in p for p in problems), problems


def test_a_good_matcher_has_no_problems():
    assert matcher_problems("identity.checked", {"result": ["mismatch", "expired"]}) == []
    assert matcher_problems("order.updated", {"line_status": "delivered", "sku": "TC-SIM-NB", "every_line": True}) == []


def test_every_line_looks_at_the_order_as_recorded_not_at_the_lines_the_event_names():
    conditions = {"line_status": "delivered", "every_line": True}
    one = {"order_number": "WS-1", "lines": [{"sku": "A", "status": "delivered"}]}
    recorded = [{"sku": "A", "status": "delivered"}, {"sku": "A", "status": "shipped"}]
    assert not matches("order.updated", conditions, Seen("order.updated", one, recorded))
    recorded[1]["status"] = "delivered"
    assert matches("order.updated", conditions, Seen("order.updated", one, recorded))
    assert not matches("order.updated", conditions, Seen("order.updated", one, []))


def test_any_line_and_sku_and_lists_of_values():
    data = {"status": "shipped", "lines": [{"sku": "A", "status": "pending"}, {"sku": "B", "status": "failed"}]}
    seen = Seen("order.updated", data)
    assert matches("order.updated", {"line_status": ["failed", "wrong_item"]}, seen)
    assert not matches("order.updated", {"line_status": "failed", "sku": "A"}, seen)
    assert matches("order.updated", {"order_status": "shipped"}, seen)
    assert not matches("order.placed", {}, seen), "another event type"
    assert not matches("order.updated", {"colour": "red"}, seen), "a matcher with a problem never matches"


@pytest.mark.parametrize(
    ("event_type", "conditions", "words"),
    [
        ("order.updated", {"line_status": "delivered", "every_line": True}, "an order update: every line delivered"),
        ("order.updated", {"line_status": ["failed", "wrong_item"]}, "an order update: a line failed or wrong item"),
        ("order.updated", {}, "an order update"),
        ("identity.checked", {"result": ["mismatch", "expired"]}, "an ID check: mismatch or expired"),
        ("return.updated", {"status": "received"}, "a return update: received"),
        ("mail.returned", {}, "returned post"),
        ("", {}, "an agent to mark it done"),
    ],
)
def test_a_matcher_reads_in_plain_words_for_agents(event_type, conditions, words):
    assert describe(event_type, conditions) == words
