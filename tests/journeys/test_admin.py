"""Admins edit journey templates with their steps and failures; a bad matcher is refused."""

import pytest

from console.journeys.models import JourneyTemplate
from console.journeys.selectors import listened_event_types

pytestmark = pytest.mark.django_db

ADD = "/admin/journeys/journeytemplate/add/"


def inline(prefix, rows):
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{k}": v for k, v in row.items()})
    return data


def form(steps, failures=()):
    return {
        "name": "Router replacement",
        "description": "A broken router is replaced.",
        "active": "on",
        "channel": "sms",
        "done_message_key": "",
        **inline("steps", steps),
        **inline("failures", failures),
    }


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("admin", is_staff=True, is_superuser=False))
    return client


def test_an_admin_creates_a_template_with_steps_and_a_failure(admin_client):
    steps = [
        {
            "position": 1,
            "title": "Router shipped",
            "event_type": "order.updated",
            "conditions": '{"line_status": "shipped"}',
            "message_template_key": "journey_wrong_item_shipped",
        },
        {
            "position": 2,
            "title": "Router delivered",
            "event_type": "order.updated",
            "conditions": '{"line_status": "delivered"}',
            "message_template_key": "",
        },
    ]
    failures = [
        {
            "title": "Router lost",
            "event_type": "order.updated",
            "conditions": '{"line_status": "failed"}',
            "message_template_key": "journey_wrong_item_failed",
            "choices": "Send another | Een nieuwe sturen",
        },
    ]
    response = admin_client.post(ADD, form(steps, failures))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    template = JourneyTemplate.objects.get(name="Router replacement")
    assert [s.title for s in template.steps.all()] == ["Router shipped", "Router delivered"]
    assert template.failures.get().choice_list() == [("Send another", "Een nieuwe sturen")]
    assert "order.updated" in listened_event_types()


def test_a_bad_matcher_is_refused_with_a_clear_error(admin_client):
    steps = [
        {
            "position": 1,
            "title": "Router shipped",
            "event_type": "order.updated",
            "conditions": '{"colour": "red"}',
            "message_template_key": "no_such_message",
        }
    ]
    failures = [
        {
            "title": "Router lost",
            "event_type": "identity.checked",
            "conditions": '{"result": "lost"}',
            "message_template_key": "journey_wrong_item_failed",
            "choices": "Send another",
        }
    ]
    response = admin_client.post(ADD, form(steps, failures))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "&#x27;colour&#x27; is not a condition of order.updated events; they take: "
        "line_status, sku, every_line, order_status." in page
    )
    assert "There is no message template &#x27;no_such_message&#x27;." in page
    assert "&#x27;result&#x27; cannot be lost; it is one of: valid, expired, mismatch." in page
    assert "Choice 1 needs English and Dutch, split by “|”" in page
    assert not JourneyTemplate.objects.filter(name="Router replacement").exists()


def test_only_admins_manage_journey_templates(client, make_user):
    client.force_login(make_user("manager", is_staff=True))
    assert client.get(ADD).status_code == 403
    assert client.get("/admin/journeys/journeytemplate/").status_code == 403


def test_a_template_switched_off_no_longer_listens(porting, wrong_item):
    assert {"order.updated", "identity.checked", "return.updated"} <= listened_event_types()
    porting.active = False
    porting.save()
    assert "identity.checked" not in listened_event_types()
