"""The audit trail in a browser: a manager finds it in the header, filters by keyboard alone, and
the page fits a 768 px tablet without scrolling sideways."""

import os

import pytest
from playwright.sync_api import expect

from console.accounts.models import AuditEvent
from console.accounts.services import audit_event_record
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Set to a folder to look at the page (screenshots are not kept in the repository).
SHOTS = os.environ.get("AUDIT_SCREENSHOTS")


@pytest.fixture
def trail(make_user):
    jeroen = CustomerFactory(name="Jeroen de Vries", customer_number="C-200001")
    anna = CustomerFactory(name="Anna Bakker", customer_number="C-300001")
    lotte = make_user("phone", username="lotte", first_name="Lotte", last_name="Smit")
    for n in range(30):
        audit_event_record(actor=lotte, action=AuditEvent.Action.VIEWED_CUSTOMER, customer=anna, detail=f"Picture {n}")
    audit_event_record(
        actor=None,
        action=AuditEvent.Action.API_READ,
        customer=jeroen,
        detail="credit check 900.00 EUR: needs_approval",
        token="webshop kb_AbCdEfG",
    )
    audit_event_record(actor=lotte, action=AuditEvent.Action.OPENED_RETURN, customer=jeroen, detail="R-2026-0001")


@pytest.mark.parametrize("width", [1280, 768])
def test_a_manager_filters_the_trail_by_keyboard(page, live_server, login, trail, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "manager")
    page.click("nav.topnav >> text=Audit trail")
    rows = page.locator(".audit-table tbody tr")
    expect(rows.first).to_contain_text("Opened return")
    expect(rows).to_have_count(32)

    page.focus("#audit-customer")
    page.keyboard.type("c-200001")
    page.keyboard.press("Enter")
    expect(rows).to_have_count(2)
    expect(page.locator(".audit-customer")).to_contain_text("Jeroen de Vries")
    expect(rows.nth(1)).to_contain_text("webshop kb_AbCdEfG")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/audit-{width}.png", full_page=True)

    page.fill("#audit-from", "2026-11-30")
    page.fill("#audit-to", "2026-11-01")
    page.locator("#audit-to").press("Enter")
    expect(page.locator("#audit-to-error")).to_contain_text("The period runs backwards")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/audit-{width}-error.png", full_page=True)
