"""The credit check: allowed, needs approval or refused, at each limit, with overrides counting,
as order systems (API) and agents (the customer's picture) ask it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from console.flags.models import FlagPolicy
from console.flags.selectors import credit_check
from console.flags.services import flag_override_set
from tests.factories import add_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(db):
    policy = FlagPolicy.current()
    policy.check_ok_limit, policy.check_watch_limit = Decimal("5000"), Decimal("500")
    policy.save()
    return policy


@pytest.fixture
def on_watch(customer):
    add_invoice(customer, number="INV-2026-101", amount="100.00", days_overdue=3)
    return customer


@pytest.fixture
def on_hold(customer):
    add_invoice(customer, number="INV-2026-881", amount="740.00", days_overdue=47)
    add_invoice(customer, number="INV-2026-882", amount="500.00", days_overdue=20)
    return customer


def check(customer, amount, **kwargs):
    return credit_check(customer=customer, amount=Decimal(amount), **kwargs)


@pytest.mark.parametrize(
    ("amount", "decision"), [("0.00", "allowed"), ("5000.00", "allowed"), ("5000.01", "needs_approval")]
)
def test_ok_credit_allows_orders_up_to_the_ok_limit(customer, policy, amount, decision):
    result = check(customer, amount)
    assert (result.credit_level, result.decision) == ("ok", decision)


def test_needing_approval_on_ok_credit_says_which_limit(customer, policy):
    result = check(customer, "5200")
    assert "EUR 5,200.00 is more than the EUR 5,000.00 any order may reach without approval." in result.reasons


@pytest.mark.parametrize(("amount", "decision"), [("500.00", "allowed"), ("500.01", "needs_approval")])
def test_watch_allows_orders_up_to_the_watch_limit(on_watch, policy, amount, decision):
    result = check(on_watch, amount)
    assert (result.credit_level, result.decision) == ("watch", decision)


def test_the_reasons_give_the_credit_standing_and_the_limit_in_words(on_watch, policy):
    result = check(on_watch, "900.00")
    assert result.reasons == [
        "Credit is on watch: 1 invoice overdue, EUR 100 open, oldest 3 days.",
        "EUR 900.00 is more than the EUR 500.00 an order may reach without approval while credit is on watch.",
    ]


@pytest.mark.parametrize("amount", ["0.01", "20.00", "900.00"])
def test_hold_refuses_every_order_unless_a_manager_approves(on_hold, policy, amount):
    result = check(on_hold, amount)
    assert (result.credit_level, result.decision) == ("hold", "refused")
    assert "Orders are refused while credit is on hold, unless a manager approves this one." in result.reasons


def test_the_limits_come_from_the_policy_an_admin_edits(on_watch, policy):
    policy.check_watch_limit = Decimal("1000")
    policy.save()
    assert check(on_watch, "900.00").decision == "allowed"
    assert check(on_watch, "1000.01").decision == "needs_approval"


def test_a_managers_override_counts_until_it_lapses(on_hold, policy, make_user):
    manager = make_user("manager", first_name="Anna", last_name="Smit")
    flag_override_set(
        customer_id=on_hold.pk,
        kind="credit",
        level="ok",
        reason="Payment plan agreed",
        until=timezone.now() + timedelta(days=7),
        user=manager,
    )
    result = check(on_hold, "900.00")
    assert (result.credit_level, result.decision, result.overridden) == ("ok", "allowed", True)
    assert any(r.startswith("Anna Smit set credit to OK until ") and "Payment plan agreed" in r for r in result.reasons)

    on_hold.flags.filter(kind="credit").update(override_until=timezone.now() - timedelta(seconds=1))
    assert check(on_hold, "900.00").decision == "refused"


def test_an_override_to_watch_makes_a_large_order_need_approval(customer, policy, make_user):
    flag_override_set(
        customer_id=customer.pk,
        kind="credit",
        level="watch",
        reason="Bank reports a dispute",
        until=timezone.now() + timedelta(days=7),
        user=make_user("manager"),
    )
    assert check(customer, "900.00").decision == "needs_approval"


def test_store_staff_see_the_level_but_not_the_amounts_behind_it(on_hold, policy):
    result = check(on_hold, "900.00", finance=False)
    assert result.credit_level == "hold"
    standing = result.reasons[0]
    assert standing.startswith("Credit is on hold: 2 invoices overdue")
    assert "1,240" not in standing and "EUR" not in standing


# The API (docs/api.md): GET /api/v1/customers/{id}/credit-check


def test_the_api_answers_as_the_contract_says(api, on_watch, policy):
    reply = api.get(f"/api/v1/customers/{on_watch.pk}/credit-check", amount="900.00", currency="EUR")
    assert reply.status_code == 200
    body = reply.json()
    assert body["decision"] == "needs_approval" and body["credit_level"] == "watch"
    assert body["reasons"][0] == "Credit is on watch: 1 invoice overdue, EUR 100 open, oldest 3 days."
    assert body["approval_url"] == f"/api/v1/customers/{on_watch.pk}/credit-approvals"


def test_the_api_gives_no_approval_url_when_allowed(api, customer, policy):
    body = api.get(f"/api/v1/customers/{customer.pk}/credit-check", amount="20").json()
    assert (body["decision"], body["approval_url"]) == ("allowed", None)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"amount": "1e3"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({}, "amount"),
        ({"amount": "9", "currency": "USD"}, "currency"),
    ],
)
def test_the_api_refuses_what_is_not_an_amount_in_euros(api, customer, params, field):
    reply = api.get(f"/api/v1/customers/{customer.pk}/credit-check", **params)
    assert reply.status_code == 422 and field in reply.json()["errors"]


def test_the_api_needs_the_read_scope(api, customer, issue_token):
    token = issue_token(scopes=["events:write"])
    reply = api.get(f"/api/v1/customers/{customer.pk}/credit-check", token=token, amount="10")
    assert reply.status_code == 403


# The console: the credit-check panel on the customer's picture, for every role.


@pytest.mark.parametrize("role", ["webcare", "phone", "store", "manager", "admin"])
def test_every_role_may_run_the_check_in_the_console(client_as, on_watch, policy, role):
    client = client_as(role)
    url = reverse("customers:credit-check", args=[on_watch.pk])
    reply = client.get(url, {"amount": "900"}, headers={"HX-Request": "true"})
    assert reply.status_code == 200
    html = reply.content.decode()
    assert 'id="panel-credit-check"' in html and "Needs a manager&#x27;s approval" in html
    assert "Ask a manager to approve" in html


def test_store_staff_get_the_console_check_without_invoice_amounts(client_as, on_hold, policy):
    html = client_as("store").get(
        reverse("customers:credit-check", args=[on_hold.pk]), {"amount": "900"}, headers={"HX-Request": "true"}
    )
    text = html.content.decode()
    assert "Credit is on hold: 2 invoices overdue" in text and "1,240" not in text


def test_the_console_reads_amounts_as_agents_type_them(client_as, customer, policy):
    client = client_as("phone")
    url = reverse("customers:credit-check", args=[customer.pk])
    assert (
        "EUR 1,250.50 is within"
        in client.get(url, {"amount": "1.250,50"}, headers={"HX-Request": "true"}).content.decode()
    )
    reply = client.get(url, {"amount": "veel"}, headers={"HX-Request": "true"})
    assert reply.status_code == 422 and "Type the order amount in euros" in reply.content.decode()


def test_the_picture_has_an_empty_credit_check_panel(client_as, customer):
    html = client_as("webcare").get(customer.get_absolute_url()).content.decode()
    assert 'id="panel-credit-check"' in html and 'name="amount"' in html and "credit-answer" not in html
