"""An admin edits the SLA policies, the opening hours and the closed days; a change counts for
the next message at once (the cached calendar is forgotten)."""

import pytest

from console.conversations.models import ClosedDay, OpeningHours, SlaPolicy
from console.conversations.sla import business_minutes_add, sla_rules
from tests.conversations.conftest import at

pytestmark = pytest.mark.django_db


def test_the_admin_lists_the_seeded_policies_and_opening_hours(admin_client):
    policies = admin_client.get("/admin/conversations/slapolicy/").content.decode()
    assert "9 SLA policies" in policies
    hours = admin_client.get("/admin/conversations/openinghours/").content.decode()
    assert "Saturday" in hours and "Sunday" in hours
    assert admin_client.get("/admin/conversations/closedday/").status_code == 200


def test_closing_before_opening_is_refused(admin_client):
    monday = OpeningHours.objects.get(weekday=0)
    page = admin_client.post(
        f"/admin/conversations/openinghours/{monday.pk}/change/",
        {"weekday": 0, "opens": "20:00", "closes": "08:00"},
    )
    assert page.status_code == 200 and "It must close after it opens" in page.content.decode()
    assert OpeningHours.objects.get(weekday=0).opens.hour == 8


def test_a_closed_day_added_in_the_admin_counts_at_once(admin_client):
    assert business_minutes_add(at("2027-06-10 19:30"), 60) == at("2027-06-11 08:30")
    page = admin_client.post("/admin/conversations/closedday/add/", {"date": "2027-06-11", "reason": "Heidag"})
    assert page.status_code == 302 and ClosedDay.objects.filter(reason="Heidag").exists()
    assert business_minutes_add(at("2027-06-10 19:30"), 60) == at("2027-06-12 09:30")


def test_a_policy_changed_in_the_admin_counts_at_once(admin_client):
    assert sla_rules().targets("twitter", "normal").first_response == 60  # cached now
    policy = SlaPolicy.objects.get(channel="", priority="normal")
    page = admin_client.post(
        f"/admin/conversations/slapolicy/{policy.pk}/change/",
        {
            "channel": "",
            "priority": "normal",
            "first_response_minutes": 20,
            "next_response_minutes": 120,
            "resolution_minutes": 1440,
        },
    )
    assert page.status_code == 302
    assert sla_rules().targets("twitter", "normal").first_response == 20
