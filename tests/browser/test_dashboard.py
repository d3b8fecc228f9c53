"""The manager dashboard in a browser: an invoice event that puts a customer on credit hold
shows up in the "on hold" list without a reload."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from console.ingest.models import ApiToken
from tests.factories import CustomerFactory
from tests.ingest.events import invoice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_put_on_hold_appears_without_a_reload(browser, server, worker, make_user):
    make_user("manager", username="mila", first_name="Mila", last_name="de Manager")
    CustomerFactory(name="Jeroen de Vries", customer_number="C-200001")
    _, token = ApiToken.issue(source="finance", scopes=["events:write"])
    page = server.login(browser, "mila", timeout=15_000)
    page.click("nav.topnav >> text=Dashboard")
    expect(page.locator("#live-state")).to_have_attribute("data-state", "live")
    hold = page.locator("#dash-hold")
    expect(hold).to_contain_text("Nobody on hold")
    page.evaluate("window.notReloaded = true")

    today = timezone.localdate()
    due = today - timedelta(days=47)
    body = invoice(number="INV-2026-101", amount="1240.00", issued_on=str(due - timedelta(days=14)), due_on=str(due))
    assert server.post_event(token, body) == 201

    row = hold.locator("tr", has_text="Jeroen de Vries")
    expect(row).to_contain_text("EUR 1,240.00")
    expect(row).to_contain_text("47 days")
    expect(page.locator("#dash-tiles")).to_contain_text("1 on credit hold")
    assert page.evaluate("window.notReloaded") is True
    row.locator("a", has_text="Jeroen de Vries").click()
    expect(page.locator("#customer-header h1")).to_have_text("Jeroen de Vries")
