"""The audit trail page (/privacy/audit/): managers filter who did what to which customer when."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from console.accounts.models import AuditEvent
from console.accounts.services import audit_event_record
from console.customers.models import Customer
from console.privacy.audit_selectors import PAGE_SIZE
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
URL = reverse("privacy:audit")


@pytest.fixture
def manager(client_as):
    return client_as("manager")


@pytest.fixture
def trail(make_user, customer):
    """A small trail: two agents, two customers, an API read, on three Amsterdam days."""
    lotte, bram = make_user("phone", first_name="Lotte", last_name="Smit"), make_user("webcare", username="bram")
    other = CustomerFactory(name="Anna Bakker", customer_number="C-300001")

    def at(day, hour, **row):
        with time_machine.travel(datetime(2026, 11, day, hour, 30, tzinfo=AMSTERDAM), tick=False):
            audit_event_record(**row)

    at(1, 9, actor=lotte, action=AuditEvent.Action.VIEWED_CUSTOMER, customer=customer, detail="picture")
    at(2, 0, actor=bram, action=AuditEvent.Action.SENT_MESSAGE, customer=other, detail="sms")
    at(2, 23, actor=None, action=AuditEvent.Action.API_READ, customer=customer, token="webshop kb_AbCdEfG")
    at(3, 10, actor=lotte, action=AuditEvent.Action.OPENED_RETURN, customer=other, detail="return")
    return {"lotte": lotte, "bram": bram, "jeroen": customer, "anna": other}


def details(response) -> list[str]:
    return [event.detail for event in response.context["page"].events]


def test_a_manager_sees_the_newest_first_with_readable_columns(manager, trail):
    response = manager.get(URL)
    assert response.status_code == 200
    # The trail's four rows; the manager's looking goes in after the page is read.
    assert [e.action for e in response.context["page"].events] == [
        "opened_return",
        "api_read",
        "sent_message",
        "viewed_customer",
    ]
    page = response.content.decode()
    assert "Lotte Smit" in page and "Opened return" in page and "Anna Bakker" in page
    assert "webshop kb_AbCdEfG" in page and "03-11-2026 10:30:00" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"user": "lotte"}, ["return", "picture"]),
        ({"customer": "C-200001"}, ["", "picture"]),
        ({"customer": "c-300001"}, ["return", "sms"]),
        ({"action": "sent_message"}, ["sms"]),
        ({"date_from": "2026-11-02", "date_to": "2026-11-02"}, ["", "sms"]),
        ({"date_from": "2026-11-03"}, ["return"]),
        ({"date_to": "2026-11-01"}, ["picture"]),
        ({"user": "lotte", "customer": "C-300001"}, ["return"]),
    ],
    ids=["user", "customer", "customer any case", "action", "one day", "from", "to", "user and customer"],
)
def test_each_filter_changes_what_the_manager_sees(manager, trail, params, expected):
    if "user" in params:
        params = {**params, "user": trail[params["user"]].pk}
    # Only the trail's own rows: the manager's looking adds rows dated today.
    params.setdefault("date_to", "2026-11-30")
    response = manager.get(URL, params)
    assert response.status_code == 200
    assert details(response) == expected


def test_a_customer_may_be_named_by_id_and_is_shown_with_a_link(manager, trail):
    jeroen = trail["jeroen"]
    response = manager.get(URL, {"customer": str(jeroen.pk), "date_to": "2026-11-30"})
    assert details(response) == ["", "picture"]
    assert f'href="{jeroen.get_absolute_url()}">Jeroen de Vries</a>' in response.content.decode()


def test_the_rows_of_a_record_merged_into_the_customer_are_listed_under_it(manager, trail):
    Customer.objects.filter(pk=trail["anna"].pk).update(merged_into=trail["jeroen"])
    assert details(manager.get(URL, {"customer": "C-200001", "date_to": "2026-11-30"})) == [
        "return",
        "",
        "sms",
        "picture",
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "30-11-2026"}, "Enter a day as YYYY-MM-DD"),
        ({"date_from": "2026-02-30"}, "Enter a day as YYYY-MM-DD"),
        ({"date_to": "9999-12-31"}, "Choose a day from 1900-01-01 to 2199-12-31"),
        ({"date_from": "2026-11-03", "date_to": "2026-11-01"}, "The period runs backwards"),
        ({"customer": "C-999999"}, "No customer has the number or id “C-999999”"),
        ({"customer": "99999999999999999999999"}, "No customer has the number or id"),
        ({"user": "abc"}, "Select a valid choice"),
        ({"action": "drop_table"}, "Select a valid choice"),
        ({"before": "yesterday"}, "This page link is broken"),
        ({"before": "999999999999999999_1"}, "This page link is broken"),
    ],
)
def test_bad_filters_get_a_clear_message_not_a_500(manager, trail, params, message):
    response = manager.get(URL, params)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert response.context["page"] is None


@pytest.mark.parametrize("role", ["webcare", "phone", "store"])
def test_agents_are_refused(client_as, trail, role):
    assert client_as(role).get(URL).status_code == 403


def test_an_admin_may_read_it(client_as, trail):
    assert client_as("admin").get(URL).status_code == 200


def test_viewing_the_page_is_itself_audited_once_with_its_filters(manager, trail):
    lotte = trail["lotte"]
    manager.get(URL, {"user": lotte.pk, "customer": "C-200001", "action": "viewed_customer", "date_from": "2026-11-01"})
    (row,) = AuditEvent.objects.filter(action=AuditEvent.Action.VIEWED_AUDIT_LOG)
    assert row.actor == manager.user and row.customer == trail["jeroen"]
    assert row.detail == f"user={lotte.username} customer=C-200001 action=viewed_customer from=2026-11-01"
    assert row.ip_address == "127.0.0.1"


def test_a_page_with_bad_filters_shows_nothing_and_is_not_audited(manager, trail):
    manager.get(URL, {"date_from": "gisteren"})
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEWED_AUDIT_LOG).exists()


def test_older_rows_a_page_at_a_time_with_none_twice_or_left_out(manager, make_user):
    agent = make_user("phone")
    with time_machine.travel(datetime(2026, 11, 5, 12, tzinfo=AMSTERDAM), tick=False):
        # Same moment for all: the id breaks the ties.
        for n in range(PAGE_SIZE + 7):
            audit_event_record(actor=agent, action=AuditEvent.Action.VIEWED_CUSTOMER, detail=f"row {n}")
    first = manager.get(URL, {"user": agent.pk})
    older = first.context["page"].next_before
    assert older and first.context["page"].events[0].detail == f"row {PAGE_SIZE + 6}"
    second = manager.get(URL, {"user": agent.pk, "before": older})
    assert second.context["page"].next_before is None
    seen = details(first) + details(second)
    assert seen == [f"row {n}" for n in reversed(range(PAGE_SIZE + 7))]
    assert f"before={older}" in first.content.decode()


def test_the_page_costs_the_same_queries_for_few_or_many_rows(manager, make_user):
    agent = make_user("phone")
    customers = [CustomerFactory() for _ in range(3)]
    counts = []
    for rows in (2, PAGE_SIZE + 5):
        for n in range(rows):
            audit_event_record(actor=agent, action="viewed_customer", customer=customers[n % 3], detail="x")
        with CaptureQueriesContext(connection) as captured:
            assert manager.get(URL, {"customer": customers[0].customer_number}).status_code == 200
        counts.append(len(captured))
    # Session, user, permissions (2), the customer and the records merged into it, the page of
    # rows, the audit row of this look, the header's roles, the users to choose from.
    assert counts == [10, 10], [q["sql"][:60] for q in captured]


def test_the_header_leads_managers_to_it_and_not_agents(manager, client_as):
    assert f'href="{URL}"' in manager.get(reverse("dashboard:dashboard")).content.decode()
    assert f'href="{URL}"' not in client_as("phone").get(reverse("customers:search")).content.decode()


def test_text_from_customers_and_agents_is_shown_escaped(manager, make_user):
    odd = CustomerFactory(name="<script>alert(1)</script>", customer_number="C-300009")
    audit_event_record(actor=make_user("phone"), action="added_case_note", customer=odd, detail="<b>note</b>")
    page = manager.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>note</b>" not in page and "&lt;b&gt;note&lt;/b&gt;" in page
